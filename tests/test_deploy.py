"""The scheduled deployment registers with its cron schedule and parameters (no serving loop)."""
from __future__ import annotations

from flows.deploy import build_deployment, main


def test_deploy_registers_with_cron_schedule_and_parameters(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client

    deployment = build_deployment(str(tmp_path / "corpus"), str(tmp_path / "out"), cron="30 3 * * 1-5", name="weekdays")
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment_by_name("extract-claims-scheduled/weekdays")
    assert stored.id == deployment_id
    assert [s.schedule.cron for s in stored.schedules] == ["30 3 * * 1-5"]
    assert stored.schedules[0].active
    assert stored.parameters["corpus"] == str(tmp_path / "corpus") and stored.parameters["out"] == str(tmp_path / "out")


def test_deploy_cli_bad_cron_is_one_clear_line(capsys):
    assert main(["--cron", "every night", "--register-only"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --cron 'every night'") and "Traceback" not in err
