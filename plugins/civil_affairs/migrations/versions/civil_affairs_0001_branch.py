"""civil_affairs: start of the plugin's migration branch (tables prefixed civil_affairs_).

Revision ID: civil_affairs_0001
Revises:
"""

from typing import Sequence, Union

revision: str = "civil_affairs_0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = ("civil_affairs",)
depends_on: Union[str, Sequence[str], None] = "core_0001"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
