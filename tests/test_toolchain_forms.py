"""Pins as real repositories write them: aws-cdk-lib in a requirements file
pip-compile wrote with --generate-hashes (the pin is the version alone, and
the file is a lock: its hashes name the exact wheels, so it is never bumped in
place), and the hashicorp/aws requirement in Terraform 0.12's string form."""

from test_toolchain import cdk_app  # noqa: F401  (a fixture)

HASHED = ("#\n# pip-compile --generate-hashes requirements.in\n#\naws-cdk-lib==2.100.0 \\\n"
          "    --hash=sha256:1111111111111111111111111111111111111111111111111111111111111111\n"
          "    # via -r requirements.in\nconstructs==10.3.0 \\\n"
          "    --hash=sha256:2222222222222222222222222222222222222222222222222222222222222222\n")


def test_a_hashed_pin_is_read_as_its_version_and_never_bumped(iacfix, cdk_app):
    (cdk_app / "requirements.txt").write_text(HASHED)
    run = iacfix("check", ".", "--format", "json")
    [pin] = [f for f in run.json["findings"] if f["rule"] == "RT311"]
    assert (pin["line"], pin["column"], pin["end_column"]) == (4, 12, 21)
    assert pin["message"].startswith("aws-cdk-lib ==2.100.0 cannot deploy python3.13")
    assert pin["fix"] is None and "regenerate the lock (pip-compile" in pin["fix_unavailable"]
    iacfix("fix", ".", "--unsafe-fixes")
    assert (cdk_app / "requirements.txt").read_text() == HASHED


def test_a_hash_on_the_same_line_is_not_part_of_the_pin(iacfix, cdk_app):
    (cdk_app / "requirements.txt").write_text("aws-cdk-lib==2.100.0 --hash=sha256:" + "1" * 64 + "\n")
    [pin] = [f for f in iacfix("check", ".", "--format", "json").json["findings"] if f["rule"] == "RT311"]
    assert pin["pinned"] == "==2.100.0" and pin["fix"] is None


def test_the_terraform_0_12_string_form_of_a_provider_requirement_is_a_pin(iacfix, write):
    """`aws = ">= 2.68"` in required_providers: the source defaults to hashicorp/aws, and
    Terraform 1.x still accepts it (tflint only warns)."""
    from test_toolchain import TF

    legacy = TF.replace('aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.75.0" # see #40107\n    }',
                        'aws = "~> 4.0"')
    root = write({"main.tf": legacy})
    run = iacfix("check", ".", "--format", "json")
    by = {f["rule"]: f for f in run.json["findings"]}
    assert (by["RT311"]["line"], by["RT311"]["pinned"]) == (3, "~> 4.0")
    assert not by["RT004"]["fixable"]
    iacfix("fix", ".", "--unsafe-fixes")
    assert 'aws = "~> 5.76"' in (root / "main.tf").read_text()
