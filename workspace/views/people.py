"""Placeholder while the coordinator's pages are written on their branch."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


people = _missing
invite = _missing
invitation_withdraw = _missing
message_retry = _missing
invitation_accept = _missing
