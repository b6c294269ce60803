"""The staff register page: the list, the add/edit form and the CSV import."""
