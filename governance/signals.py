from django.dispatch import Signal

# Sent after records change publication state through the workflow services. They save in
# bulk, which sends no post_save, so anything derived from published records (the
# dashboards) listens here. Arguments: sender (the model), pks (the records that moved).
publication_changed = Signal()
