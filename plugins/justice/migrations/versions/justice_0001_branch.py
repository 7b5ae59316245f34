"""justice: start of the plugin's migration branch (tables prefixed justice_).

Revision ID: justice_0001
Revises:
"""

from typing import Sequence, Union

revision: str = "justice_0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = ("justice",)
depends_on: Union[str, Sequence[str], None] = "core_0001"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
