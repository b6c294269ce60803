"""The Qt user interface: the only package that imports QtWidgets."""

# The database layer is imported before Qt on purpose: PySide6 installs an import hook
# that slows every later import, and SQLAlchemy is several hundred modules. Doing it in
# this order saves about 0.1 s at start-up.
import smmod.context  # noqa: F401
