"""The Qt user interface: the only package that imports QtWidgets."""
