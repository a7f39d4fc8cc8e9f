from django import template

from accounts.devices import device_name
from privacy.sealing import unseal

register = template.Library()


@register.filter
def real_address(address: str) -> str:
    """Show a person their own address; the database holds it only sealed."""
    return unseal(address)


@register.filter
def device(user_agent: str | None) -> str:
    """{{ session.user_agent|device }} → "Chrome su Android"."""
    return device_name(user_agent)
