"""The operator's command line against the running stack: a third commune provisioned whose people log in and
submit; topics, lag and dead letters as an operator reads them."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from thidua_platform.client import password_token

from .world import EVIDENCE_80, SCORING, SUBMISSIONS, bearer, filled_dossier, new_entrant, ok, open_period

CLI = str(Path(sys.executable).with_name("thidua-ops"))
YEN_MO = "ph-37-yen-mo"
PASSWORD = "yen-mo-e2e-password"  # the test realm's accounts only


def run_ops(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THIDUA_TEST_NEW_PASSWORD": PASSWORD, "COLUMNS": "200"}
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout, env=env)


def thidua_ops(*args: str) -> str:
    done = run_ops(*args)
    assert done.returncode == 0, f"thidua-ops {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def commune(code: str, *people: str) -> list[str]:
    """`commune provision` of a commune of Ninh Bình with these people's options."""
    return [
        "commune",
        "provision",
        code,
        "--name",
        "Xã Yên Mô",
        "--province",
        "37",
        "--province-name",
        "Ninh Bình",
        *people,
    ]


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))  # type: ignore[no-any-return]


def provision_yen_mo() -> str:
    return thidua_ops(
        *commune(
            YEN_MO,
            "--officer",
            "ym.officer:ym.officer@yenmo.thidua.invalid:Lê Văn An",
            "--submitter",
            "ym.submitter:ym.submitter@yenmo.thidua.invalid:Phạm Thị Lan",
            "--council",
            "ym.council1:ym.council1@yenmo.thidua.invalid:Đỗ Văn Hùng",
            "--password-env",
            "THIDUA_TEST_NEW_PASSWORD",
        )
    )


def test_a_provisioned_commune_logs_in_and_submits_and_stays_its_own(http: httpx.Client) -> None:
    province = thidua_ops("province", "provision", "37", "--name", "Ninh Bình")
    assert "province tinh-37" in province
    assert "already there" in province  # the realm's own, found not duplicated
    out = provision_yen_mo()
    assert "campaign" in out
    assert "periods ready for submissions" in out

    officer = password_token("ym.officer", password=PASSWORD).access_token
    assert claims(officer)["organization"][YEN_MO]["province"] == ["37"]
    # the council member provisioned sits on the commune's scoring council, without the officer's PUT /council
    roster = ok(http.get(f"{SCORING}/council", headers=bearer(officer)))["members"]
    assert [member["username"] for member in roster] == ["ym.council1"]
    (campaign,) = ok(http.get(f"{SUBMISSIONS}/campaigns", headers=bearer(officer)))
    open_period(http, officer, campaign["id"])
    entrant = new_entrant(http, officer, name="Thôn Yên Thổ", focal=("ym.submitter",))
    submitter = password_token("ym.submitter", password=PASSWORD).access_token
    dossier = filled_dossier(http, submitter, entrant["id"], EVIDENCE_80)
    submitted = ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
    assert submitted["status"] == "submitted"
    assert submitted["tenant"] == YEN_MO

    # the commune is a tenant like the others: Liên Minh's officer does not see its dossier
    other = password_token("lm.officer").access_token
    assert http.get(f"{SUBMISSIONS}/submissions/{dossier}", headers=bearer(other)).status_code == 404
    # provisioning again changes nothing (and resets no password)
    again = provision_yen_mo()
    assert "already there" in again
    assert "accounts created: none" in again
    assert password_token("ym.submitter", password=PASSWORD).access_token


def test_the_operator_creates_topics_and_reads_every_groups_lag() -> None:
    topics = thidua_ops("topics", "create")
    for topic in ("thidua.submissions", "thidua.scoring", "thidua.awards", "thidua.dlq.rollups"):
        assert f"{topic}: đã có / exists" in topics
    lag = thidua_ops("lag")
    for group in ("scoring", "awards", "notifications", "rollups"):
        assert group in lag
    assert "Kafka did not answer" not in lag
    listed = thidua_ops("dead-letters", "list")
    assert "dead letter(s) in" in listed


def test_bad_input_is_named_not_a_crash() -> None:
    done = run_ops(*commune("ph-37-x", "--officer", "no-email-here"), timeout=60)
    assert done.returncode == 2
    assert "USERNAME:EMAIL" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_person_of_another_commune_is_not_made_a_member_of_a_second_one() -> None:
    done = run_ops(*commune(YEN_MO, "--officer", "lm.officer:lm.officer@lienminh.thidua.invalid", "--no-adopt"))
    assert done.returncode == 2
    assert "ph-37-lien-minh" in done.stderr
    assert "Traceback" not in done.stderr


def token_helper(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "thidua_platform.client", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})})


def test_the_token_helper_serves_any_user_and_says_why_it_cannot() -> None:
    """The README's token helper: a provisioned user's token with their password from a variable; `--help`; and a
    refused password or an unset variable told in words, never a traceback."""
    provision_yen_mo()
    done = token_helper("token", "ym.submitter", "--password-env", "YM_PASSWORD", env={"YM_PASSWORD": PASSWORD})
    assert done.returncode == 0, done.stderr
    assert claims(done.stdout.strip())["preferred_username"] == "ym.submitter"
    helped = token_helper("--help")
    assert helped.returncode == 0
    assert "thidua-cli" in helped.stdout
    assert "--password-env" in token_helper("token", "--help").stdout
    refused = token_helper("token", "ym.submitter")  # the demo password is not theirs
    assert refused.returncode == 1
    assert "--password-env" in refused.stderr
    assert "Traceback" not in refused.stderr
    unset = token_helper("token", "ym.submitter", "--password-env", "NO_SUCH_VARIABLE_HERE")
    assert unset.returncode == 2
    assert "NO_SUCH_VARIABLE_HERE" in unset.stderr
    assert "Traceback" not in unset.stderr
