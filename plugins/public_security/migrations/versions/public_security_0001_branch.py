"""public_security: start of the plugin's migration branch (tables prefixed public_security_).

Revision ID: public_security_0001
Revises:
"""

from typing import Sequence, Union

revision: str = "public_security_0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = ("public_security",)
depends_on: Union[str, Sequence[str], None] = "core_0001"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
