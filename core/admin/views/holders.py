"""持证人 (《办法》第四条): search by name and ID number; masked for non-police roles."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_admin import expose
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from wtforms import FileField, ValidationError

from core import audit
from core.admin.base import SecureModelView, current_role
from core.db import db
from core.auth import ROLES
from core.clock import today
from core.holders import HolderFacts, validate
from core.models import ETHNICITIES
from core.models.holder import SEXES
from core.photos import MAX_BYTES, PhotoError, check_photo, remove_photo, store_photo
from core.rules import RuleError, mask_id_number, mask_phone

LABELS = {
    "name": "姓名", "sex": "性别", "ethnicity": "民族", "birth_date": "出生日期",
    "id_number": "公民身份号码", "photo": "相片", "hukou_address": "常住户口所在地住址",
    "hukou_division_code": "户籍区划代码", "phone": "联系电话", "created_at": "录入时间",
    "residences": "居住地",
}


def sees_personal_data() -> bool:
    spec = ROLES.get(current_user.role) if current_user.is_authenticated else None
    return bool(spec and spec.sees_personal_data)


def _masked(field: str, masker: Any) -> Any:
    def fmt(view: Any, context: Any, model: Any, name: str) -> str:
        value = getattr(model, field)
        return value if sees_personal_data() else masker(value)
    return fmt


def _check_upload(form: Any, field: Any) -> None:
    """The photo field's validator: Pillow checks (core.photos.check_photo); the checked,
    re-encoded picture waits on the field until the holder is saved."""
    field.checked = None
    upload = field.data
    if not isinstance(upload, FileStorage) or not upload.filename:
        return  # no new photo: the holder keeps the one it has
    try:
        field.checked = check_photo(upload.stream.read(MAX_BYTES + 1))
    except PhotoError as err:
        raise ValidationError(err.message) from None


class HolderView(SecureModelView):
    roles = frozenset({"county_admin", "station_clerk", "police_officer", "dept_clerk", "auditor"})
    write_roles = frozenset({"county_admin", "station_clerk"})
    export_enabled = True  # masked for non-police roles, like the list

    @property  # type: ignore[override]
    def can_edit(self) -> bool:
        # A station clerk registers new holders; a holder's recorded facts then change only
        # through 变更 (POST /permits/{n}/changes at the issuing station: audited, a new card).
        # A free edit here would bypass it; the county admin keeps an audited correction.
        return current_role() == "county_admin"

    column_list = ["name", "sex", "ethnicity", "birth_date", "id_number", "phone",
                   "hukou_division_code"]
    column_details_list = column_list + ["hukou_address", "created_at"]
    column_labels = LABELS
    column_searchable_list = ["name", "id_number"]
    column_filters = ["sex", "ethnicity", "birth_date"]
    column_default_sort = ("id", True)
    form_columns = ["name", "sex", "ethnicity", "birth_date", "id_number", "hukou_address",
                    "hukou_division_code", "phone", "photo_upload"]
    form_extra_fields = {"photo_upload": FileField(
        "相片", validators=[_check_upload],
        description="JPEG 或 PNG，不超过 2 MB，至少 300×400 像素的竖幅证件照；重新上传即替换")}
    form_choices = {"sex": list(SEXES.items()), "ethnicity": [(e, e) for e in ETHNICITIES]}
    column_formatters = {
        "sex": lambda v, c, m, n: SEXES.get(m.sex, m.sex),
        "id_number": _masked("id_number", mask_id_number),
        "phone": _masked("phone", mask_phone),
    }
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters

    @expose("/lookup/")
    def lookup_view(self) -> Any:
        """The holder look-up of the forms that take a holder by ID number (lookup.js): JSON,
        for the roles that open this list; what it shows per role is decided in
        core/admin/lookup.py."""
        from flask import jsonify, url_for

        from core.admin.lookup import answer

        create_url = url_for(".create_view") if current_role() in self.write_roles else None
        body = answer(db.session, request.args.get("id_number", ""), today(),
                      full=sees_personal_data(), create_url=create_url)
        response = jsonify(body)
        response.headers["Cache-Control"] = "no-store"  # personal data
        return response

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        """The look-up answers a refused role in JSON (its caller is a script); the pages
        keep the Chinese 无权访问 page, and an anonymous caller the login page."""
        if name == "lookup_view" and current_user.is_authenticated:
            from flask import jsonify

            return jsonify({"status": "forbidden", "message": "无权查询持证人"}), 403
        return super().inaccessible_callback(name, **kwargs)

    @expose("/details/")
    def details_view(self) -> Any:
        """The holder's full record. A role that does not work with personal data (a
        department clerk, the auditor) opening it is written to the access log: one
        ``holder.view`` audit event per page, committed with the request."""
        response = super().details_view()
        if isinstance(response, str) and not sees_personal_data():  # rendered, not a redirect
            holder = self.get_one(request.args.get("id", ""))
            if holder is not None:
                log_holder_view(holder.id)
        return response

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        try:
            facts = validate(HolderFacts(
                model.name, model.sex, model.ethnicity, model.birth_date, model.id_number,
                model.hukou_address, model.hukou_division_code, model.phone), today())
        except RuleError as err:
            field = getattr(form, err.field, None)
            if field is not None:
                field.errors = list(field.errors) + [err.message]
            raise ValidationError(err.message) from None
        for key, value in facts.__dict__.items():
            setattr(model, key, value)
        checked = getattr(getattr(form, "photo_upload", None), "checked", None)
        if checked is not None:
            # a generated name, never the uploader's; the old file goes once this is saved
            form.photo_upload.replaced = model.photo  # per request (views are shared)
            model.photo = store_photo(checked)
        super().on_model_change(form, model, is_created)  # audits photo: old → new name

    def after_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        old = getattr(getattr(form, "photo_upload", None), "replaced", None)
        if old and old != model.photo:
            remove_photo(old)
        super().after_model_change(form, model, is_created)


def log_holder_view(holder_id: int, actor: Any = None) -> None:
    """Access log (条例第十七条): a non-police role saw holder ``holder_id``'s full record."""
    audit.record(db.session, action="holder.view", entity="holder", entity_id=holder_id,
                 actor=actor if actor is not None else current_user._get_current_object())
    db.session.commit()
