"""education: start of the plugin's migration branch (tables prefixed education_).

Revision ID: education_0001
Revises:
"""

from typing import Sequence, Union

revision: str = "education_0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = ("education",)
depends_on: Union[str, Sequence[str], None] = "core_0001"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
