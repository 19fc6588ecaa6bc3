"""`thidua-ops`: provision provinces and communes, create topics, handle dead letters, rebuild read models, show lag,
list stored text today's text rule would refuse.

Configured like the services (THIDUA_KAFKA_BOOTSTRAP, THIDUA_OIDC_ISSUER, THIDUA_MONGO_URL, …) plus
THIDUA_KEYCLOAK_ADMIN_PASSWORD (on the local stack, read from .stack/ when unset).
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import httpx
import typer
from keycloak.exceptions import KeycloakError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from thidua_contracts.roles import Role
from thidua_contracts.topology import CONSUMER_GROUPS, DOMAIN_TOPICS
from thidua_ops.campaigns import NothingToAdopt, adopt_published_template, seat_council
from thidua_ops.realm import Created, Person, Realm, Refused, Unit
from thidua_ops.settings import OpsSettings
from thidua_ops.stored_text import SERVICES as DATABASE_SERVICES
from thidua_ops.stored_text import scan as scan_stored_text
from thidua_platform import deadletters
from thidua_platform.envelope import dead_letter_topic
from thidua_platform.kafka import ensure_topics
from thidua_platform.lag import LagProbe

app = typer.Typer(help=__doc__, no_args_is_help=True, rich_markup_mode=None)
province_app = typer.Typer(help="Tỉnh / provinces", no_args_is_help=True)
commune_app = typer.Typer(help="Xã / communes (tenants)", no_args_is_help=True)
topics_app = typer.Typer(help="Kafka topics", no_args_is_help=True)
letters_app = typer.Typer(help="Dead letters of the consumer groups", no_args_is_help=True)
models_app = typer.Typer(help="Read models", no_args_is_help=True)
app.add_typer(province_app, name="province")
app.add_typer(commune_app, name="commune")
app.add_typer(topics_app, name="topics")
app.add_typer(letters_app, name="dead-letters")
app.add_typer(models_app, name="read-models")
console = Console()

People = Annotated[list[str], typer.Option(help="USERNAME:EMAIL[:Họ và tên], repeatable")]
PasswordEnv = Annotated[
    str | None,
    typer.Option(help="environment variable holding the new accounts' password (else one-time passwords, printed)"),
]


def settings() -> OpsSettings:
    return OpsSettings()


def people(role: str, given: list[str]) -> list[tuple[Person, str]]:
    try:
        return [(Person.parse(text), role) for text in given]
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def password_from(variable: str | None) -> str | None:
    if variable is None:
        return None
    value = os.environ.get(variable)
    if not value:
        raise typer.BadParameter(
            f"biến môi trường {variable} trống / the environment variable {variable} is empty or unset",
            param_hint="--password-env",
        )
    return value


def provisioned(unit: Unit, accounts: list[tuple[Person, str]], password: str | None) -> None:
    try:
        created = Realm(settings().keycloak_admin()).provision(unit, accounts, password)
    except KeycloakError as exc:
        console.print(f"Keycloak từ chối / Keycloak refused: {exc.response_code} {exc.error_message!s}"[:2000])
        raise typer.Exit(1) from exc
    except Refused as exc:
        raise typer.BadParameter(str(exc)) from exc
    report(unit, created)


def report(unit: Unit, created: Created) -> None:
    level = {"province": "tỉnh / province", "commune": "xã / commune"}[unit.level]
    state = "đã tạo / created" if created.unit_created else "đã có / already there"
    console.print(f"{level} {unit.alias} «{unit.name}»: {state}")
    if created.roles_created:
        console.print(f"  vai trò đã tạo / realm roles created: {', '.join(created.roles_created)}")
    console.print(f"  tài khoản đã tạo / accounts created: {', '.join(created.users_created) or 'none'}")
    for username, password in created.temporary_passwords.items():
        console.print(
            f"  mật khẩu dùng một lần của / one-time password of {username} "
            f"(đổi khi đăng nhập lần đầu / to change at first login): {password}"
        )


@province_app.command("provision")
def provision_province(
    code: Annotated[str, typer.Argument(help="the province's code, e.g. 37")],
    name: Annotated[str, typer.Option(help="e.g. Ninh Bình")],
    staff: People = [],  # noqa: B006 — Typer reads the default, never mutates it
    admin: People = [],  # noqa: B006
    password_env: PasswordEnv = None,
) -> None:
    """A province: its organization (tinh-CODE), the realm roles, its staff and administrators."""
    unit = Unit(f"tinh-{code}", f"Tỉnh {name}", code, name, "province")
    accounts = people(Role.PROVINCE_STAFF, staff) + people(Role.PROVINCE_ADMIN, admin)
    provisioned(unit, accounts, password_from(password_env))


@commune_app.command("provision")
def provision_commune(
    code: Annotated[str, typer.Argument(help="the commune's administrative code (the tenant), e.g. ph-37-yen-mo")],
    name: Annotated[str, typer.Option(help="e.g. Xã Yên Mô")],
    province: Annotated[str, typer.Option(help="the province's code, e.g. 37")],
    province_name: Annotated[str, typer.Option(help="e.g. Ninh Bình")],
    officer: People = [],  # noqa: B006
    submitter: People = [],  # noqa: B006
    council: People = [],  # noqa: B006
    chair: People = [],  # noqa: B006
    password_env: PasswordEnv = None,
    adopt: Annotated[bool, typer.Option(help="adopt the province's published campaign template as the officer")] = True,
    template: Annotated[str | None, typer.Option(help="the template's code (default: the latest published)")] = None,
) -> None:
    """A commune: its organization, its people with their roles, and its platform record (the province's campaign
    template adopted, so that its people can register and submit)."""
    unit = Unit(code, name, province, province_name, "commune")
    accounts = (
        people(Role.COMMUNE_OFFICER, officer)
        + people(Role.SUBMITTER, submitter)
        + people(Role.COUNCIL_MEMBER, council)
        + people(Role.COMMUNE_CHAIR, chair)
    )
    password = password_from(password_env)
    officers = [person for person, role in accounts if role == Role.COMMUNE_OFFICER]
    if adopt and (not officers or password is None):
        raise typer.BadParameter(
            "áp dụng kế hoạch cần --officer và --password-env / adopting the campaign needs an --officer and "
            "--password-env (or --no-adopt)"
        )
    provisioned(unit, accounts, password)
    if not adopt or password is None:
        return
    try:
        campaign = adopt_published_template(
            settings().submissions_url, officers[0].username, password, template_code=template
        )
    except NothingToAdopt as exc:
        raise typer.BadParameter(str(exc), param_hint="--template") from exc
    except httpx.HTTPError as exc:
        console.print(f"không áp dụng được kế hoạch / the campaign was not adopted: {exc}"[:2000])
        raise typer.Exit(1) from exc
    console.print(
        f"  kế hoạch / campaign {campaign['id']} (mẫu / template {campaign['template_id']}): "
        "sẵn sàng nhận hồ sơ / periods ready for submissions"
    )
    members = [person.username for person, role in accounts if role == Role.COUNCIL_MEMBER]
    if not members:
        return
    try:
        seated = seat_council(settings().scoring_url, officers[0].username, password, members)
    except httpx.HTTPError as exc:
        console.print(f"không xếp được Hội đồng / the council was not seated: {exc}"[:2000])
        raise typer.Exit(1) from exc
    console.print(
        f"  Hội đồng chấm / scoring council: {', '.join(seated) or 'không ai mới / nobody new'} "
        f"({len(members)} thành viên đã cấp / provisioned members)"
    )


@topics_app.command("create")
def create_topics(
    partitions: Annotated[int, typer.Option(min=1, max=100)] = 3,
    replication_factor: Annotated[
        int | None, typer.Option(min=1, max=7, help="default: THIDUA_KAFKA_REPLICATION_FACTOR")
    ] = None,
    min_insync_replicas: Annotated[
        int | None, typer.Option(min=1, max=7, help="default: THIDUA_KAFKA_MIN_INSYNC_REPLICAS")
    ] = None,
) -> None:
    """The domain topics and every group's dead-letter topic, keeping every event (retention.ms=-1,
    retention.bytes=-1). Existing ones keep their partitions and replication; their retention is set so."""
    configured = settings()
    replicas = replication_factor or configured.kafka_replication_factor
    in_sync = min_insync_replicas or min(configured.kafka_min_insync_replicas, replicas)
    if in_sync > replicas:
        raise typer.BadParameter(f"{in_sync} > replication factor {replicas}", param_hint="--min-insync-replicas")
    wanted = [*DOMAIN_TOPICS, *(dead_letter_topic(group) for group in CONSUMER_GROUPS)]
    created = ensure_topics(
        configured.kafka_bootstrap,
        wanted,
        partitions=partitions,
        replication_factor=replicas,
        min_insync_replicas=in_sync,
    )
    for topic in wanted:
        console.print(f"{topic}: {'đã tạo / created' if topic in created else 'đã có / exists'}")


@app.command("lag")
def lag(group: Annotated[str | None, typer.Argument(help="one consumer group (default: every group)")] = None) -> None:
    """Each consumer group's lag per partition: events on the topic it has not handled yet."""
    if group is not None and group not in CONSUMER_GROUPS:
        raise typer.BadParameter(f"không có nhóm / unknown group {group}; groups: {', '.join(CONSUMER_GROUPS)}")
    table = Table("group", "topic", "partition", "lag")
    bootstrap = settings().kafka_bootstrap
    for name, topics in CONSUMER_GROUPS.items():
        if group in (None, name):
            measured = LagProbe(bootstrap, name, topics).by_partition()
            if measured is None:
                table.add_row(name, "—", "—", "Kafka không trả lời / Kafka did not answer")
                continue
            for (topic, partition), behind in sorted(measured.items()):
                table.add_row(name, topic, str(partition), str(behind))
    console.print(table)


@letters_app.command("list")
def list_letters(group: Annotated[str | None, typer.Argument(help="consumer group, e.g. rollups")] = None) -> None:
    """Every dead letter, of one group or of all."""
    deadletters.print_listing(settings().kafka_bootstrap, group)


@letters_app.command("show")
def show_letter(
    group: str, position: Annotated[str, typer.Argument(help="PARTITION:OFFSET as printed by list")]
) -> None:
    """One dead letter's headers and message."""
    deadletters.print_letter(settings().kafka_bootstrap, group, position)


@letters_app.command("replay")
def replay_letters(
    group: str,
    positions: Annotated[list[str] | None, typer.Argument(help="PARTITION:OFFSET as printed by list")] = None,
    every: Annotated[bool, typer.Option("--all", help="every dead letter of the group")] = False,
    reason: Annotated[str | None, typer.Option(help="only those dead-lettered for this reason")] = None,
) -> None:
    """Produce dead letters again to the topic they came from (after the cause is fixed)."""
    if not every and not positions:
        raise typer.BadParameter("nêu vị trí / name positions (PARTITION:OFFSET) or --all")
    bootstrap = settings().kafka_bootstrap
    chosen = deadletters.chosen(bootstrap, group, positions or [], every=every, reason=reason)
    with Progress(console=console) as progress:
        task = progress.add_task(f"replaying {dead_letter_topic(group)}", total=len(chosen))
        count = asyncio.run(deadletters.replay(bootstrap, chosen, lambda _letter: progress.advance(task)))
    console.print(f"đã phát lại / replayed {count} dead letter(s) to their topics")


@models_app.command("rebuild")
def rebuild_read_models(
    database: Annotated[str, typer.Option(help="scratch database to rebuild into")] = "thidua_rollups_rebuilt",
    replace: Annotated[bool, typer.Option(help="rebuild the live database (stop the rollups worker first)")] = False,
    digest_only: Annotated[bool, typer.Option(help="print the database's digest and stop")] = False,
) -> None:
    """The rollups read models again from every event on the topics (into a scratch database, or in place)."""
    from rollups.bootstrap import rebuild_read_models as rebuild
    from rollups.settings import RollupsSettings

    with Progress(console=console) as progress:
        task = progress.add_task("events applied", total=None)

        def advance(applied: int, total: int) -> None:
            progress.update(task, completed=applied, total=total)

        status = rebuild(
            RollupsSettings(), database=database, replace=replace, digest_only=digest_only, progress=advance
        )
        raise typer.Exit(asyncio.run(status))


@app.command("stored-text")
def stored_text(
    database: Annotated[
        list[str] | None, typer.Option(help="a database to read, repeatable (default: every service's thidua_<name>)")
    ] = None,
) -> None:
    """Text the databases keep that today's rule would refuse (a control character) or change (not NFC), per
    collection and field: older code stored it. The services read it as it is; this only lists it. Reads every
    document."""
    names = database or [f"thidua_{service}" for service in DATABASE_SERVICES]
    table = Table("database", "collection", "field", "kind", "documents", "first _id")
    found = 0
    for finding in scan_stored_text(settings().mongo_url, names):
        found += 1
        table.add_row(
            finding.database,
            finding.collection,
            finding.field,
            finding.kind,
            str(finding.documents),
            finding.example,
        )
    console.print(table if found else "không có / none")
