"""Fn::Sub with one ${Var}: the composed runtime is judged, the variable's value is the site."""

import pytest

from conftest import CFN_HEAD, lambda_function, locate

CFN = "cloudformation"


def test_string_form_with_a_parameter_default_is_the_composed_runtime_at_the_default():
    text = CFN_HEAD + "Parameters:\n  PyVersion:\n    Type: String\n    Default: '3.9'\n" \
        "Resources:\n" + lambda_function('!Sub "python${PyVersion}"')
    located = locate(CFN, text)
    assert located.unresolved == []
    [site] = located.sites
    assert (site.value, text[site.start:site.end], site.path) == ("python3.9", "'3.9'", ("Parameters", "PyVersion", "Default"))
    assert site.kind == "parameter-default" and site.users == ["F"]
    assert site.spell("python3.13") == ("'3.13'", "3.13")
    assert site.spell("nodejs22.x") is None


def test_fix_writes_only_the_part_the_variable_supplies(iacfix, write):
    path = write("t.yaml", CFN_HEAD + "Parameters:\n  V:\n    Type: String\n    Default: 3.9\n    AllowedValues: [3.9, '3.12']\n"
                 "Resources:\n" + lambda_function('{"Fn::Sub": "python${V}"}'))
    run = iacfix("fix", ".", "--format", "json")
    assert [(f["rule"], f["runtime"], f["line"], f["column"]) for f in run.json["fixed"]] == \
        [("RT003", "python3.9", 5, 14), ("RT003", "python3.9", 6, 21)]
    assert path.read_text() == (CFN_HEAD + "Parameters:\n  V:\n    Type: String\n    Default: 3.13\n"
                                "    AllowedValues: [3.13, '3.12']\n" "Resources:\n" + lambda_function('{"Fn::Sub": "python${V}"}'))


def test_json_long_forms_are_fixed_in_place(iacfix, write):
    path = write("t.json", '{"AWSTemplateFormatVersion": "2010-09-09",\n "Parameters": {"V": {"Type": "String", "Default": 9}},\n'
                 ' "Resources": {\n  "A": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": '
                 '{"Fn::Sub": ["python${X}", {"X": "3.8"}]}}},\n'
                 '  "B": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": {"Fn::Sub": "python3.${V}"}}}}}\n')
    before = path.read_text()
    run = iacfix("fix", ".", "--format", "json")
    assert [(f["runtime"], f["line"], f["used_by"]) for f in run.json["fixed"]] == \
        [("python3.9", 2, ["B"]), ("python3.8", 4, ["A"])]
    assert path.read_text() == before.replace('"Default": 9', '"Default": 13').replace('"3.8"', '"3.13"')


def test_list_form_literal_and_ref_entries():
    text = CFN_HEAD + "Parameters:\n  P: {Type: String, Default: \"8\"}\nResources:\n" \
        + lambda_function('!Sub ["python${V}", {V: "3.9"}]', "A") \
        + lambda_function("\n        Fn::Sub:\n          - python3.${Minor}\n          - Minor: !Ref P", "B")
    located = locate(CFN, text)
    assert located.unresolved == []
    param, literal = sorted(located.sites, key=lambda s: s.path[0])
    assert (param.value, param.path, param.users) == ("python3.8", ("Parameters", "P", "Default"), ["B"])
    assert param.spell("python3.13") == ('"13"', "13")
    assert (literal.value, literal.path) == ("python3.9", ("Resources", "A", "Properties", "Runtime", "!Sub", 1, "V"))
    assert text[literal.start:literal.end] == '"3.9"'


@pytest.mark.parametrize("written, target, spelled", [
    ("3.9", "python3.13", ("3.13", "3.13")),
    ("3.9", "python3.10", ('"3.10"', "3.10")),  # plain 3.10 is the number 3.1 to CloudFormation
    ("'3.9'", "python3.10", ("'3.10'", "3.10")),
])
def test_a_plain_value_keeps_its_style_unless_a_parser_would_read_another_value(written, target, spelled):
    text = CFN_HEAD + f"Parameters:\n  V: {{Type: String, Default: {written}}}\nResources:\n" + lambda_function("!Sub python${V}")
    [site] = locate(CFN, text).sites
    assert site.spell(target) == spelled


@pytest.mark.parametrize("runtime, reason", [
    ('!Sub "python3.${AWS::Region}"', "Fn::Sub variable ${AWS::Region} is a pseudo parameter"),
    ('!Sub "${Lang}${Version}"', "the Fn::Sub template has 2 variables (${Lang}, ${Version})"),
    ('!Sub "python${!V}"', "the Fn::Sub template holds the escape ${!V}"),
    ('!Sub "python${Missing}"', "Fn::Sub variable ${Missing} is not a parameter of this template"),
    ('!Sub "python${Fn.Version}"', "Fn::Sub variable ${Fn.Version} is a resource attribute"),
    ('!Sub ["python${V}", {V: !ImportValue Shared}]', "Fn::Sub variable ${V}: the value is computed by Fn::ImportValue"),
    ('!Sub ["python${V}", {V: !Ref NoDefault}]', "Fn::Sub variable ${V}: parameter NoDefault has no Default"),
])
def test_what_is_not_followed_stays_unresolved_and_says_which_variable(runtime, reason):
    text = CFN_HEAD + "Parameters:\n  NoDefault: {Type: String}\nResources:\n" + lambda_function(runtime)
    located = locate(CFN, text)
    assert located.sites == []
    [u] = located.unresolved
    assert u.reason.startswith(reason) and u.users == ["F"]


def test_globals_and_layer_lists_follow_sub_too():
    text = CFN_HEAD + "Transform: AWS::Serverless-2016-10-31\nParameters:\n  V: {Type: String, Default: '3.9'}\n" \
        "Globals:\n  Function:\n    Runtime: !Sub python${V}\nResources:\n" \
        "  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a.b}\n" \
        "  L:\n    Type: AWS::Lambda::LayerVersion\n    Properties:\n      CompatibleRuntimes:\n" \
        "        - !Sub [\"python${X}\", {X: '3.8'}]\n        - python3.12\n"
    located = locate(CFN, text)
    assert located.unresolved == []
    assert [(s.value, s.kind, s.users, s.in_list is None) for s in located.sites] == [
        ("python3.9", "parameter-default", ["Fn"], True), ("python3.8", "layer-runtime", ["L"], True),
        ("python3.12", "layer-runtime", ["L"], False)]


def test_a_value_read_as_two_different_runtimes_is_reported_not_rewritten():
    text = CFN_HEAD + "Parameters:\n  V:\n    Type: String\n    Default: '3.9'\n    AllowedValues: ['3.9']\nResources:\n" \
        + lambda_function('!Sub "python${V}"', "A") + lambda_function('!Sub "python3.${V}"', "B")
    located = locate(CFN, text)
    assert len(located.sites) == 4 and all(s.blocked for s in located.sites)
    assert {s.value for s in located.sites} == {"python3.9", "python3.3.9"}
