"""The handover wizard (R6) and the Handover page."""
