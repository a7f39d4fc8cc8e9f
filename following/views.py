"""Following a group without an account: the form, the confirmation, "what I follow" and leaving.

Every link is signed (following/tokens.py) and every change is a POST: mail scanners
open links, so a plain GET only ever shows a page with a button.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from following import services, tokens
from following.forms import FollowForm
from following.models import Follower
from network.models import Group
from network.services import Refused
from privacy.audit import audit
from privacy.models import AuditAction


def _language() -> str:
    return (get_language() or "it")[:2]


def _manage_url(follower: Follower) -> str:
    token = tokens.manage_token(follower_id=follower.pk, secret=follower.secret)
    return reverse("following:manage", kwargs={"token": token})


def _bad_link(request: HttpRequest, payload) -> HttpResponse:
    expired = isinstance(payload, dict) and payload.get("expired")
    return render(request, "following/bad_link.html", {"expired": expired}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group.objects.public(), slug=slug)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                follow = services.follow_by_user(group=group, user=request.user, language=_language())
            except Refused as refused:
                return render(request, "following/follow.html", {"group": group, "error": refused.message}, status=400)
            context = {"group": group, "manage_url": _manage_url(follow.follower)}
            return render(request, "following/followed.html", context)
        return render(request, "following/follow.html", {"group": group})
    form = FollowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_request(group=group, email=form.cleaned_data["email"], language=_language())
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            # The same answer whether or not the address already follows: the form reveals nobody.
            return render(request, "following/check_inbox.html", {"group": group, "email": form.cleaned_data["email"]})
    status = 400 if request.method == "POST" else 200
    return render(request, "following/follow.html", {"group": group, "form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    payload = tokens.read_confirm(token)
    if payload is None or payload.get("expired"):
        return _bad_link(request, payload)
    if request.method == "POST":
        try:
            follow = services.follow_confirm(token=token)
        except Refused as refused:
            return render(request, "following/bad_link.html", {"message": refused.message}, status=400)
        return render(
            request, "following/confirmed.html", {"group": follow.group, "manage_url": _manage_url(follow.follower)}
        )
    return render(request, "following/confirm.html")


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    follower = services.follower_for_manage_token(token)
    if not isinstance(follower, Follower):
        return _bad_link(request, follower)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "leave":
            follow = follower.follows.filter(group_id=request.POST.get("group")).first()
            if follow is not None:
                services.follow_leave(follow=follow, by=request.user)
        elif action == "leave_all":
            services.follower_leave_all(follower=follower, by=request.user)
        elif action in ("reminders_on", "reminders_off"):
            services.follower_set_reminders(follower=follower, reminders=action == "reminders_on")
        if not Follower.objects.filter(pk=follower.pk).exists():
            return render(request, "following/left.html", {"all": True})
        return redirect(request.path)
    audit(AuditAction.VIEWED, actor=request.user, target=follower)
    follows = follower.follows.select_related("group").order_by("group__name")
    return render(request, "following/manage.html", {"follower": follower, "follows": follows})


@csrf_exempt  # mail programs POST here with no page in between (RFC 8058); the signed token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request: HttpRequest, token: str) -> HttpResponse:
    follow = services.follow_for_leave_token(token)
    if isinstance(follow, dict) or (follow is None and tokens.read_leave(token) is None):
        return _bad_link(request, follow)
    if follow is None:
        # Already left (a second click, or the mail program's POST came first): nothing to do.
        return render(request, "following/left.html", {"already": True})
    if request.method == "POST":
        group = follow.group
        services.follow_leave(follow=follow, by=request.user)
        return render(request, "following/left.html", {"group": group})
    return render(request, "following/leave.html", {"group": follow.group})
