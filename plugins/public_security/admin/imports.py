"""批量导入登记 (《办法》第十条) in the admin: upload a CSV or XLSX file, see what the import
would do, import the rows that pass, download the refused ones with their Chinese errors.

The checks and the writing are the CLI's (``importer.preview_registrations`` and
``importer.import_registrations``): the same rules as ``POST /registrations``, with the clerk
as the actor and, for a station clerk, the clerk's station (rows of other townships are
refused, as ``juzhu import registrations --station`` does).

**Where an upload lives between preview and import.** The file holds personal data, so it
is kept only as long as the clerk needs it: under ``<instance>/imports/<user id>/<token>/``
(folders 0700, files 0600), ``token`` from :func:`secrets.token_urlsafe`. A token is looked
up only in the folder of the user asking, so another user's token answers like an unknown
one (404). Whatever is older than 24 hours is deleted whenever this view is used. The upload
is renamed (``upload.*`` → ``claimed.*``, atomic) before importing, so a second POST (double
click, back button) finds nothing to import and says so, and it is deleted once imported;
what stays is the refused rows (``errors.json``) for the error report, until the clerk
deletes them or they expire.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import re
import secrets
import shutil
import time
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from core import api

from .. import importer
from .base import CATEGORY, role

log = logging.getLogger(__name__)

#: Who may import: the roles that register (``registration.REGISTRARS``) and use the 公安
#: menu. A police officer does not register (DESIGN §5); assistants report through the API.
IMPORTERS = frozenset({"county_admin", "station_clerk"})
KEEP_SECONDS = 24 * 3600
SHOWN_ERRORS = 200  # refused rows listed on the page; the report holds them all
SAMPLE = 10  # good rows shown in the preview
EXTENSIONS = (".csv", ".xlsx")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
META, RESULT, ERRORS = "meta.json", "result.json", "errors.json"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What to write in each column, beside its title (field names from ``importer.columns()``).
HINTS = {
    "name": "与身份证件一致",
    "sex": "填 男 或 女（也可填 male、female）",
    "ethnicity": "如 汉族、彝族",
    "birth_date": "年-月-日，如 1990-03-07",
    "id_number": "18 位公民身份号码",
    "hukou_address": "户口簿上的住址",
    "hukou_division_code": "6、9 或 12 位区划代码",
    "phone": "可不填",
    "arrival_date": "年-月-日",
    "residence_address": "在本县的居住地址",
    "residence_division_code": "12 位社区（村）代码或 9 位乡镇（街道）代码",
    "registered_on": "年-月-日；不填则为导入当天",
}


# ------------------------------------------------------------------------------ storage

def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _private_file(path: Path) -> Any:
    """A new file only its owner may read (0600), opened for binary writing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _write_json(path: Path, data: Any) -> None:
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    with _private_file(part) as out:
        out.write(json.dumps(data, ensure_ascii=False).encode())
    os.replace(part, path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _root() -> Path:
    return Path(current_app.config["JUZHU_INSTANCE"]) / "imports"


def _user_dir() -> Path:
    return _root() / str(current_user.id)


def _expire(now: float | None = None) -> None:
    """Delete every upload (of every user) made more than 24 hours ago."""
    root = _root()
    if not root.is_dir():
        return
    now = time.time() if now is None else now
    for user in os.scandir(root):
        if not user.is_dir(follow_symlinks=False):
            continue
        for entry in os.scandir(user.path):
            if not entry.is_dir(follow_symlinks=False):
                continue
            folder = Path(entry.path)
            try:
                made = (folder / META).stat().st_mtime
            except OSError:
                made = entry.stat(follow_symlinks=False).st_mtime
            if now - made > KEEP_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)


def _clean_name(filename: str) -> str:
    """The uploaded file's own name (no folder, no control characters), for the page."""
    name = os.path.basename((filename or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[-120:] or "上传的文件"


class Upload:
    """One upload of the current user: its folder and what is stored in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.token = folder.name
        self.meta: dict[str, Any] = _read_json(folder / META) or {}
        self.name: str = self.meta.get("name", "")
        self.ext: str = self.meta.get("ext", ".csv")

    @classmethod
    def find(cls, token: str) -> "Upload | None":
        """The current user's upload ``token``; None for a malformed, unknown, expired or
        another user's token (looked up in the user's own folder only)."""
        if not TOKEN.match(token or ""):
            return None
        folder = _user_dir() / token
        if not (folder / META).is_file():
            return None
        return cls(folder)

    @property
    def file(self) -> Path:
        return self.folder / f"upload{self.ext}"

    @property
    def claimed(self) -> Path:
        return self.folder / f"claimed{self.ext}"

    def result(self) -> dict[str, Any] | None:
        return _read_json(self.folder / RESULT)

    def errors(self) -> dict[str, Any] | None:
        return _read_json(self.folder / ERRORS)

    def delete(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _table_of(path: Path, name: str) -> tuple[importer.Table, Any]:
    """``importer.open_table`` with the stored path replaced by the file's own name in its
    messages (the server's folders are nobody's business)."""
    try:
        return importer.open_table(str(path))
    except importer.ImportInputError as err:
        raise importer.ImportInputError(str(err).replace(str(path), name)) from None


# ------------------------------------------------------------------------------ reports

def _report_csv(header: list[str], fields: list[str], rejected: list[Any]) -> str:
    """The CLI's report (``importer.write_report``): original columns, 行号, 错误; UTF-8 with
    BOM, every cell formula-escaped."""
    out = io.StringIO()
    out.write("\ufeff")
    importer.write_report(out, importer.Table(header, fields, iter(())),
                          [(n, row, errors) for n, row, errors in rejected])
    return out.getvalue()


def _xlsx_text(value: Any) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def _report_xlsx(header: list[str], fields: list[str], rejected: list[Any]) -> bytes:
    """The same table as the CSV report in a workbook. Every cell but the row number is
    written as text (data type ``s``), so "=1+1" shows as typed and is never a formula; no
    apostrophe is added (the kernel's XLSX export does the same, ``core/admin/base.py``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="未导入的行")
    sheet.freeze_panes = "A2"

    def text(value: Any) -> Any:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
        cell.data_type = "s"
        return cell

    sheet.append([text(h) for h in header] + [text(importer.ROW_TITLE),
                                              text(importer.ERROR_TITLE)])
    for number, row, errors in rejected:
        sheet.append([text(row.get(f, "")) for f in fields] + [int(number),
                                                               text("；".join(errors))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _download(body: Any, mimetype: str, filename: str) -> Response:
    ascii_name = "errors" + os.path.splitext(filename)[1]
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={ascii_name}; "
                               f"filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-store"})


# ------------------------------------------------------------------------------ the view

class ImportView(api.SecureView):
    """批量导入登记: upload → preview → import → result with the error report."""

    roles = IMPORTERS

    def __init__(self) -> None:
        super().__init__(name="批量导入登记", category=CATEGORY,
                         endpoint="public_security_import")

    def create_blueprint(self, admin: Any) -> Any:
        blueprint = super().create_blueprint(admin)
        # A body over MAX_CONTENT_LENGTH fails where the form is first read — in the CSRF
        # check before this view runs — so it is caught for the whole blueprint.
        blueprint.register_error_handler(RequestEntityTooLarge, self._too_large)
        return blueprint

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        refused = super()._handle_view(name, **kwargs)
        if refused is None:
            try:
                _expire()
            except OSError:  # never keep a clerk from working over a cleanup
                log.exception("could not delete expired import uploads")
        return refused

    # -- helpers ---------------------------------------------------------------------------

    def _actor(self) -> Any:
        return current_user._get_current_object()

    def _station(self) -> Any:
        """The station a station clerk's import is limited to; None for the county PSB."""
        if role() == "station_clerk":
            return api.db.session.get(api.OrgUnit, current_user.org_id)
        return None

    def _max_mb(self) -> int:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        return max(1, limit // (1024 * 1024)) if limit else 0

    def _upload_page(self, error: str | None = None, status: int = 200) -> Any:
        model = importer.row_model()
        columns = [{"field": name, "title": title,
                    "required": model.model_fields[name].is_required(),
                    "hint": HINTS.get(name, "")}
                   for name, title in importer.columns().items()]
        station = self._station()
        return self.render("public_security/admin/import_upload.html", columns=columns,
                           error=error, max_mb=self._max_mb(),
                           station_name=station.name if station is not None else None), status

    def _gone(self) -> Any:
        return self._upload_page("该导入记录不存在或已过期（上传的文件只保留 24 小时），请重新上传。",
                                 404)

    def _too_large(self, exc: Exception) -> Any:
        flash(f"文件太大：一次最多上传 {self._max_mb()} MB，请把文件拆成几份分别导入。", "error")
        return redirect(url_for(".index"), 303)

    def _shown_id(self, number: Any) -> str:
        text = "" if number is None else str(number)
        if not text or api.sees_personal_data(role()):
            return text
        return api.rules.mask_id_number(text)

    def _preview(self, upload: Upload, sample: int = SAMPLE) -> Any:
        table, close = _table_of(upload.file, upload.name)
        try:
            result = importer.preview_registrations(
                api.db.session, table.rows, actor=self._actor(), as_of=api.today(),
                station=self._station(), sample=sample)
        finally:
            close()
        return table, result

    # -- pages -----------------------------------------------------------------------------

    @api.expose("/")
    def index(self) -> Any:
        return self._upload_page()

    @api.expose("/template.csv")
    def template(self) -> Any:
        """A CSV with the header row of Chinese titles (UTF-8 with BOM, for Excel)."""
        out = io.StringIO()
        out.write("\ufeff")
        csv.writer(out, lineterminator="\r\n").writerow(list(importer.columns().values()))
        return _download(out.getvalue(), "text/csv", "暂住登记导入模板.csv")

    @api.expose("/upload/", methods=("POST",))
    def upload(self) -> Any:
        file = request.files.get("file")
        if file is None or not file.filename:
            return self._upload_page("请选择要导入的 CSV 或 XLSX 文件。")
        name = _clean_name(file.filename)
        ext = os.path.splitext(name)[1].lower()
        if ext not in EXTENSIONS:
            return self._upload_page(f"只能导入 .csv 或 .xlsx 文件：{name}")
        token = secrets.token_urlsafe(24)
        folder = _private_dir(_private_dir(_private_dir(_root()) / str(current_user.id))
                              / token)
        path = folder / f"upload{ext}"
        size = 0
        try:
            with _private_file(path) as out:
                for chunk in iter(lambda: file.stream.read(1 << 20), b""):
                    out.write(chunk)
                    size += len(chunk)
            if size == 0:
                raise importer.ImportInputError("文件是空的：第一行应为列名")
            _table, close = _table_of(path, name)  # the header: known columns, required ones
            close()
        except importer.ImportInputError as err:
            shutil.rmtree(folder, ignore_errors=True)
            return self._upload_page(str(err))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _write_json(folder / META, {"name": name, "ext": ext, "size": size,
                                    "uploaded_at": dt.datetime.now(dt.timezone.utc).isoformat()})
        return redirect(url_for(".preview", token=token), 303)

    @api.expose("/preview/<token>/")
    def preview(self, token: str) -> Any:
        upload = Upload.find(token)
        if upload is None:
            return self._gone()
        if upload.result() is not None or upload.claimed.exists():
            return redirect(url_for(".result", token=token), 303)
        if not upload.file.is_file():
            return self._gone()
        try:
            table, result = self._preview(upload)
        except (importer.ImportInputError, api.RuleError) as err:
            upload.delete()
            return self._upload_page(getattr(err, "message", None) or str(err))
        rejected = result.rejected
        return self.render(
            "public_security/admin/import_preview.html", upload=upload,
            read=result.valid + len(rejected), valid=result.valid, refused=len(rejected),
            errors=[self._error_row(r) for r in rejected[:SHOWN_ERRORS]],
            more=max(0, len(rejected) - SHOWN_ERRORS),
            sample=[self._sample_row(n, row) for n, row in result.sample],
            station=self._station())

    def _error_row(self, item: Any) -> dict[str, Any]:
        number, row, errors = item
        return {"number": number, "name": row.get("name", ""),
                "id_number": self._shown_id(row.get("id_number")), "errors": errors}

    def _sample_row(self, number: int, row: dict[str, Any]) -> dict[str, Any]:
        return {"number": number, "name": row.get("name", ""),
                "id_number": self._shown_id(row.get("id_number")),
                "arrival_date": row.get("arrival_date", ""),
                "registered_on": row.get("registered_on") or "导入当天",
                "residence_address": row.get("residence_address", ""),
                "residence_division_code": row.get("residence_division_code", "")}

    @api.expose("/import/<token>/", methods=("POST",))
    def commit(self, token: str) -> Any:
        upload = Upload.find(token)
        if upload is None:
            return self._gone()
        if upload.result() is not None:
            flash("这个文件已经导入过了，没有重复导入。", "info")
            return redirect(url_for(".result", token=token), 303)
        try:
            os.rename(upload.file, upload.claimed)  # atomic: one POST only gets the file
        except FileNotFoundError:
            if not upload.claimed.exists():
                return self._gone()
            flash("这个文件已经提交导入，没有重复导入。", "info")
            return redirect(url_for(".result", token=token), 303)

        session = api.db.session
        outcome: dict[str, Any] = {"imported": 0, "rejected": 0, "failed": None}
        try:
            table, close = _table_of(upload.claimed, upload.name)
            try:
                result = importer.import_registrations(
                    session, table.rows, actor=self._actor(), as_of=api.today(),
                    station=self._station(), source=f"admin:{upload.name}")
            finally:
                close()
            outcome.update(imported=result.imported, rejected=len(result.rejected))
            if result.rejected:
                _write_json(upload.folder / ERRORS, {
                    "header": table.header, "fields": table.fields,
                    "rejected": [[n, row, errors] for n, row, errors in result.rejected]})
        except (importer.ImportInputError, api.RuleError) as err:
            session.rollback()
            outcome["failed"] = getattr(err, "message", None) or str(err)
            if isinstance(err, importer.ImportAborted):  # stopped after committed chunks
                outcome["imported"] = err.result.imported
        except SQLAlchemyError:
            session.rollback()
            log.exception("database error while importing registrations")
            outcome["failed"] = "数据库错误，已记录。"
        finally:
            upload.claimed.unlink(missing_ok=True)  # imported: the upload is not kept
        outcome.update(finished_at=dt.datetime.now(dt.timezone.utc).isoformat())
        _write_json(upload.folder / RESULT, outcome)
        return redirect(url_for(".result", token=token), 303)

    @api.expose("/result/<token>/")
    def result(self, token: str) -> Any:
        upload = Upload.find(token)
        if upload is None:
            return self._gone()
        outcome = upload.result()
        if outcome is None and upload.file.is_file():
            return redirect(url_for(".preview", token=token), 303)
        return self.render("public_security/admin/import_result.html", upload=upload,
                           outcome=outcome, has_report=(upload.folder / ERRORS).is_file())

    @api.expose("/report/<token>/errors.csv")
    def report_csv(self, token: str) -> Any:
        return self._report(token, "csv")

    @api.expose("/report/<token>/errors.xlsx")
    def report_xlsx(self, token: str) -> Any:
        return self._report(token, "xlsx")

    def _report(self, token: str, kind: str) -> Any:
        """The refused rows with their errors: the import's when it ran, else the preview's
        (checked again now, so that a clerk can correct a file before importing it)."""
        upload = Upload.find(token)
        if upload is None:
            return self._gone()
        stored = upload.errors()
        if stored is not None:
            header, fields, rejected = stored["header"], stored["fields"], stored["rejected"]
        elif upload.result() is None and upload.file.is_file():
            try:
                table, result = self._preview(upload, sample=0)
            except (importer.ImportInputError, api.RuleError) as err:
                return self._upload_page(getattr(err, "message", None) or str(err))
            header, fields, rejected = table.header, table.fields, result.rejected
        else:
            return self._gone()
        stem = os.path.splitext(upload.name)[0] or "导入"
        if kind == "csv":
            return _download(_report_csv(header, fields, rejected), "text/csv",
                             f"{stem}_未导入的行.csv")
        return _download(_report_xlsx(header, fields, rejected), XLSX_MIME,
                         f"{stem}_未导入的行.xlsx")

    @api.expose("/cancel/<token>/", methods=("POST",))
    def cancel(self, token: str) -> Any:
        """取消 before the import (the upload is deleted) or, after it, 删除错误报告."""
        upload = Upload.find(token)
        if upload is None:
            return self._gone()
        if upload.claimed.exists() and upload.result() is None:
            flash("这个文件正在导入，不能取消。", "error")
            return redirect(url_for(".result", token=token), 303)
        imported = upload.result() is not None
        upload.delete()
        flash("错误报告已删除。" if imported else "已取消导入，上传的文件已删除。", "info")
        return redirect(url_for(".index"), 303)


def views() -> list[Any]:
    return [ImportView()]
