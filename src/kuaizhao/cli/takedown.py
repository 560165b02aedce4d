"""`kuaizhao takedown`: takedown requests and access rules, as operators handle them in the admin.

Every subcommand calls archive.services (requests.py, access.py, takedowns.py) and then brings
the search index up to date, so that what was hidden leaves search totals and facets at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from .startup import django_setup

ACTOR = "cli"


def _setup() -> None:
    django_setup(reading=True)


def _catch_up() -> None:
    from ..search import sync

    sync.catch_up(wait=10.0)


def _actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return ACTOR


@click.group()
def takedown() -> None:
    """Takedown requests (list, show, approve, reject, restore, …) and access rules."""


@takedown.command("list")
@click.option("--state", type=click.Choice(["received", "reviewing", "approved", "rejected", "countered", "restored",
                                           "upheld"]), help="Only requests in this state.")
def list_requests(state: str | None) -> None:
    """The takedown requests, newest first."""
    _setup()
    from ..archive.access import TakedownRequest

    rows = TakedownRequest.objects.all()
    if state:
        rows = rows.filter(state=state)
    shown = 0
    for r in rows[:200]:
        shown += 1
        who = r.organisation or r.name
        click.echo(f"{r.number}  {_local(r.received_at)}  {r.get_state_display():<6}  "
                   f"{r.get_basis_display():<4}  {len(r.targets)} 个网址  {who}")
    if not shown:
        click.echo("no takedown requests" + (f" in state {state}" if state else ""))


@takedown.command()
@click.argument("number")
def show(number: str) -> None:
    """A request as filed, its rules and its history."""
    _setup()
    from ..archive.services import requests

    r = _get(number)
    click.echo(f"{r.number}  {r.get_state_display()}  received {_local(r.received_at)}")
    click.echo(f"claimant: {r.name} <{r.email}> {r.organisation}; {r.address}; {r.get_relationship_display()}")
    click.echo(f"basis: {r.get_basis_display()}; sworn: {'yes' if r.sworn else 'no'}")
    for scope, pattern in r.targets:
        click.echo(f"  {scope:<6} {pattern}")
    click.echo(f"statement: {r.statement}")
    if r.evidence:
        click.echo(f"evidence: {r.evidence}")
    for a in r.attachments.all():
        click.echo(f"attachment: {a.name} ({a.size} bytes, {a.content_type})")
    for rule in requests.rules_of(r):
        click.echo(f"rule #{rule.pk}: {rule}" + (" (lifted)" if rule.lifted_at else ""))
    for e in r.events.all():
        click.echo(f"  {_local(e.at)}  {e.actor}: {e.what}" + (f" — {e.reason}" if e.reason else ""))


def _local(when: datetime) -> str:
    """A stored time as the site shows it (KUAIZHAO_TIME_ZONE, Beijing time by default)."""
    from django.utils import timezone

    return f"{timezone.localtime(when):%Y-%m-%d %H:%M}"


def _get(number: str) -> Any:
    """The request numbered so (a TakedownRequest), or a clear error."""
    from ..archive.services import requests as service

    try:
        return service.get(number)
    except service.RequestError as exc:
        raise click.ClickException(str(exc)) from None


def _decision(name: str, help_text: str, call: Callable[..., object], reason_required: bool = True,
              with_action: bool = False) -> None:
    @click.argument("number")
    @click.option("--reason", required=reason_required, default="",
                  help="Why: kept in the request's history; an approval's or rejection's reason is published "
                       "(the 451 page, /transparency/).")
    def command(number: str, reason: str, action: str = "block") -> None:
        if reason_required and not reason.strip():
            raise click.UsageError("--reason must say why")
        _setup()
        from ..archive.services import access, requests

        claim = _get(number)
        try:
            changed = call(requests, claim, _actor(), reason, action) if with_action else call(
                requests, claim, _actor(), reason)
        except (requests.RequestError, access.RuleError) as exc:
            raise click.ClickException(str(exc)) from None
        _catch_up()
        claim.refresh_from_db()
        moved = f"; {len(changed)} snapshot(s) changed" if isinstance(changed, list) else ""
        click.echo(f"{claim.number}: {claim.get_state_display()}{moved}")

    command.__doc__ = help_text
    if with_action:
        command = click.option("--action", type=click.Choice(["block", "exclude"]), default="block", show_default=True,
                               help="block: a 451 page in its place; exclude: 404, absent everywhere.")(command)
    takedown.command(name)(command)


_decision("review", "Start reviewing a request.", lambda s, c, a, r: s.review(c, a, r), reason_required=False)
_decision("hide", "Hide what a request names at once, while it is reviewed.",
          lambda s, c, a, r: s.hide_now(c, a, r), reason_required=False)
_decision("approve", "Approve a request: its URLs are blocked or excluded, now and in later captures.",
          lambda s, c, a, r, action: s.approve(c, a, action, r), with_action=True)
_decision("reject", "Reject a request (anything hidden meanwhile is shown again).",
          lambda s, c, a, r: s.reject(c, a, r))
_decision("counter", "Record a counter-notice against an approved request.", lambda s, c, a, r: s.counter(c, a, r))
_decision("restore", "Lift an approved request's rules: what it hid is shown again.",
          lambda s, c, a, r: s.restore(c, a, r))
_decision("uphold", "Keep an approved request in force after a counter-notice.", lambda s, c, a, r: s.uphold(c, a, r))


@takedown.group()
def rule() -> None:
    """Access rules made by operators (block / exclude / allow by URL, prefix or host)."""


@rule.command("add")
@click.argument("pattern")
@click.option("--scope", type=click.Choice(["url", "prefix", "host"]), default="url", show_default=True)
@click.option("--action", type=click.Choice(["block", "exclude", "allow"]), default="block", show_default=True)
@click.option("--from", "captured_from", type=click.DateTime(), help="Only captures made from this time.")
@click.option("--to", "captured_to", type=click.DateTime(), help="Only captures made until this time.")
@click.option("--reason", default="", help="Why: public, shown on the 451 page of a block.")
def add(pattern: str, scope: str, action: str, captured_from: datetime | None, captured_to: datetime | None,
        reason: str) -> None:
    """Make a rule; it applies at once to every snapshot it covers, and to later captures."""
    _setup()
    from django.utils import timezone

    from ..archive.services import access

    aware = [timezone.make_aware(t) if t is not None and timezone.is_naive(t) else t
             for t in (captured_from, captured_to)]
    try:
        made, changed = access.add_rule(scope, pattern, action, _actor(), reason=reason,
                                        captured_from=aware[0], captured_to=aware[1])
    except access.RuleError as exc:
        raise click.ClickException(str(exc)) from None
    _catch_up()
    click.echo(f"rule #{made.pk}: {made}; {len(changed)} snapshot(s) changed")
    for allow in access.exceptions_under(made):
        click.echo(f"note: allow rule #{allow.pk} ({allow.pattern}) still shows what it covers; "
                   f"`kuaizhao takedown rule lift {allow.pk}` to hide it too", err=True)


@rule.command("list")
@click.option("--all", "everything", is_flag=True, help="Lifted rules too.")
def list_rules(everything: bool) -> None:
    """The access rules in force."""
    _setup()
    from ..archive.access import AccessRule

    rules = AccessRule.objects.all() if everything else AccessRule.objects.active()
    found = False
    for r in rules.select_related("request"):
        found = True
        lifted = f"  lifted {r.lifted_at:%Y-%m-%d}" if r.lifted_at else ""
        from_request = f"  {r.request.number}" if r.request else ""
        click.echo(f"#{r.pk:<5} {r.action:<7} {r.scope:<6} {r.pattern}{from_request}{lifted}")
    if not found:
        click.echo("no access rules")


@rule.command("lift")
@click.argument("rule_ids", nargs=-1, type=int, required=True)
@click.option("--reason", default="", help="Why (kept in the history).")
def lift(rule_ids: tuple[int, ...], reason: str) -> None:
    """Lift rules by number (see `kuaizhao takedown rule list`)."""
    _setup()
    from ..archive.access import AccessRule
    from ..archive.services import access

    rules = list(AccessRule.objects.filter(pk__in=rule_ids).select_related("request"))
    missing = set(rule_ids) - {r.pk for r in rules}
    if missing:
        raise click.ClickException(f"no rule {', '.join(map(str, sorted(missing)))}")
    active = [r for r in rules if r.lifted_at is None]
    try:
        changed = access.lift_rules(active, _actor(), reason)
    except access.RuleError as exc:
        raise click.ClickException(str(exc)) from None
    _catch_up()
    already = f" ({len(rules) - len(active)} lifted before)" if len(active) < len(rules) else ""
    click.echo(f"lifted {len(active)} rule(s){already}; {len(changed)} snapshot(s) changed")
