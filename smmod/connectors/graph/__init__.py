"""Facebook Pages and Instagram professional accounts, through Meta's Graph API (pinned version):
comments and replies in; reply, hide and delete out."""
