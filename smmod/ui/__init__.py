"""The Qt user interface: the only package that imports QtWidgets."""

from smmod.ui.variant import keep_true_on_emit

keep_true_on_emit()  # before any widget or signal of the app (see variant.py)
