"""Placeholder while the coordinator's pages are written on their branch."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


group_list = _missing
group_new = _missing
group_status = _missing
network_meetings = _missing
venue_list = _missing
venue_new = _missing
venue_edit = _missing
history = _missing
