"""The admin shell (DESIGN §6): Flask-Admin 2 in Simplified Chinese, local assets only."""
