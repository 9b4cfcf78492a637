#!/usr/bin/env python3
"""Writes the seed corpus into fuzz/corpus/<target>/seed-*.

Seeds are the published vectors (tests/vectors/published.json) in every encoding given there,
their raw binary and base62-armoured forms, V1 JSON renderings, and the seed token of
shared/DESIGN.md ("The seed") as printed, repaired, and the cut-short curl example; for `api`,
one request per endpoint.
Idempotent: rerun after `cargo fuzz cmin` to put the seeds back under their own names (and
drop the SHA-1-named copies of them that the merge keeps).
"""

import base64
import hashlib
import json
import pathlib
import re

FUZZ = pathlib.Path(__file__).resolve().parent
VECTORS = FUZZ.parent / "tests" / "vectors" / "published.json"

SEED_PRINTED = (
    "JKAxNWxvY2F0aW9uIG9uZXpvbmUKMDAzYmlkZW50aWZpZXIgOEhmSEFSSGdrbHFCa1pWSTRsNk1CVHZTU3Z0OThwcHA2"
    "OTQ4czhRN1NPawowMDFhY2lkIHRpbWUgPCAxNDk2MTQwMTQ0CjAwMmZzaWduYXR1cmUg88OIBmav38YI0Z2-dw-fvrZ3"
    "XP-J0HjCN0taT3_WungK"
)
SEED_REPAIRED = "MDAx" + SEED_PRINTED[4:]
SEED_CURL = "MDAxNmxvY2F00aW9uIHJlZlFTUbnZpdGVthHo8xmai4RqqBO2MZM00mrYGgo"


def b64decode(text):
    text = text.replace("-", "+").replace("_", "/").rstrip("=")
    return base64.b64decode(text + "=" * (-len(text) % 4))


def armour(text):
    """Onedata's base62 armour."""
    escapes = {"0": "00", "_": "01", "-": "02", "/": "03", "+": "04", "=": "05"}
    return "".join(escapes.get(c, c) for c in text)


def v1_packets(raw):
    """Parses raw V1 packets into (key, value) pairs."""
    out = []
    while raw:
        n = int(raw[:4], 16)
        key, _, value = raw[4 : n - 1].partition(b" ")
        out.append((key.decode(), value))
        raw = raw[n:]
    return out


def v1_json(raw):
    """Renders a V1 token as libmacaroons' V1 JSON (json-c escapes '/')."""
    caveats, doc = [], {}
    for key, value in v1_packets(raw):
        if key == "cid":
            caveats.append({"cid": value.decode()})
        elif key == "vid":
            caveats[-1]["vid"] = base64.urlsafe_b64encode(value).decode().rstrip("=")
        elif key == "cl":
            caveats[-1]["cl"] = value.decode()
        elif key == "signature":
            doc["signature"] = value.hex()
        else:
            doc[key] = value.decode()
    obj = {"caveats": caveats, "location": doc.get("location", ""), "identifier": doc["identifier"],
           "signature": doc["signature"]}
    return json.dumps(obj, separators=(",", ":")).replace("/", "\\/")


def rust_crate_json(raw):
    """The `macaroon` crate's V2 JSON flavour: null members, signature as a number array."""
    caveats, doc = [], {}
    for key, value in v1_packets(raw):
        if key == "cid":
            caveats.append({"i": value.decode(), "i64": None, "l": None, "l64": None, "v": None, "v64": None})
        elif key == "vid":
            caveats[-1]["v64"] = base64.urlsafe_b64encode(value).decode().rstrip("=")
        elif key == "cl":
            caveats[-1]["l"] = value.decode()
        else:
            doc[key] = value
    obj = {"c": caveats, "l": doc.get("location", b"").decode(), "i": doc["identifier"].decode(),
           "i64": None, "s": list(doc["signature"]), "s64": None, "v": 2}
    return json.dumps(obj, separators=(",", ":"))


def slug(name):
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


# `api`: one request per endpoint, as `<method byte><credential byte><path>\n<header token>\n<body>`
# (credential byte: 0 none, 1 admin authenticated by the host, 2 admin's access token, 3 the
# header token line; bit 7 asks for seed-era error bodies). The target replaces `$ACCESS`,
# `$INVITE` and `$TEMP` with tokens it mints.
API_METHODS = {"GET": 0, "POST": 1, "PATCH": 2, "DELETE": 3, "PUT": 4}
API_REQUESTS = [
    ("GET", 2, "/api/v3/onezone/groups/g1/users/token", "", ""),
    ("POST", 1, "/groups/g1/users/token", "", ""),
    ("GET", 3, "/groups/nope/users/token", "not-a-token", ""),
    ("POST", 1, "/user/groups/join", "", '{"token":"$INVITE"}'),
    ("POST", 3, "/groups/g1/parents/join", "$TEMP", '{"token":"$INVITE"}'),
    ("POST", 1, "/user/tokens/named", "",
     '{"name":"ci runner","caveats":[{"type":"time","validUntil":1800000000}],"customMetadata":{"a":1},"revoked":false}'),
    ("POST", 1, "/user/tokens/named", "",
     '{"name":"inv","usageLimit":3,"privileges":["group_view","group_invite_user"],'
     '"type":{"inviteToken":{"inviteType":"userJoinGroup","groupId":"g1"}}}'),
    ("GET", 1, "/user/tokens/named/name/access", "", ""),
    ("GET", 0, "/users/bob/tokens/named", "", ""),
    ("POST", 1, "/user/tokens/temporary", "",
     '{"type":{"identityToken":{}},"caveats":[{"type":"time","validUntil":1700000600}]}'),
    ("DELETE", 2, "/user/tokens/temporary", "", ""),
    ("GET", 1, "/tokens/named", "", ""),
    ("PATCH", 1, "/tokens/named/x%20y", "", '{"name":"new name"}'),
    ("POST", 0, "/tokens/examine", "", '{"token":"$ACCESS"}'),
    ("POST", 0, "/tokens/confine", "",
     '{"token":"$TEMP","caveats":[{"type":"ip","whitelist":["10.0.0.0/8"]},{"type":"consumer","whitelist":["usr-*"]}]}'),
    ("POST", 0, "/tokens/verify_access_token", "",
     '{"token":"$TEMP","peerIp":"10.1.2.3","consumerToken":null,"interface":"rest","allowDataAccessCaveats":true}'),
    ("POST", 2, "/tokens/verify_identity_token", "", '{"token":"$ACCESS","consumerToken":"$TEMP"}'),
    ("POST", 0, "/tokens/verify_invite_token", "", '{"token":"$INVITE","expectedInviteType":"userJoinGroup"}'),
    ("GET", 0, "/groups/privileges", "", ""),
    ("GET", 0x80, "/spaces/s1/users/token", "", ""),
]


def api_seeds():
    seeds = {}
    for n, (method, credential, path, header, body) in enumerate(API_REQUESTS):
        seeds[f"{n:02d}"] = (bytes([API_METHODS[method], credential]) + path.encode() + b"\n"
                             + header.encode() + b"\n" + body.encode())
    return seeds


def main():
    data = json.loads(VECTORS.read_text())
    text_tokens = {}  # name -> text token (base64 or JSON)
    binary_tokens = {}  # name -> raw bytes
    json_tokens = {}
    for v in data["vectors"]:
        name = slug(v["name"])
        text_tokens[f"{name}-v1"] = v["v1_b64url"]
        text_tokens[f"{name}-v2"] = v["v2_b64url"]
        text_tokens[f"{name}-v1-base62"] = armour(v["v1_b64url"])
        text_tokens[f"{name}-v2-base62"] = armour(v["v2_b64url"])
        json_tokens[f"{name}-v2json"] = v["v2_json"]
        raw_v1 = b64decode(v["v1_b64url"])
        binary_tokens[f"{name}-v1-raw"] = raw_v1
        binary_tokens[f"{name}-v2-raw"] = b64decode(v["v2_b64url"])
        json_tokens[f"{name}-v1json"] = v1_json(raw_v1)
    json_tokens["pym-readme-rust-crate-json"] = rust_crate_json(
        b64decode(next(v for v in data["vectors"] if v["name"] == "pym-readme")["v1_b64url"]))

    extra = {e["name"]: e for e in data["extra"]}
    text_tokens["libm-readme-tampered-std-padded"] = extra["libm-readme-tampered"]["token_std_b64_padded"]
    go = extra["go-generated-3p"]
    for field in ("v1_std_b64_unpadded_as_given", "v2_std_b64_unpadded_as_given", "discharge_v1_as_given",
                  "discharge_v2_as_given"):
        text_tokens[f"go-3p-{slug(field)}"] = go[field]
    for field in ("json_v1_as_given", "json_v2_as_given", "discharge_json_v2_as_given"):
        json_tokens[f"go-3p-{slug(field)}"] = go[field]
    for file, wrapped in extra["libm-unit-double-wrapped"]["double_wrapped"].items():
        text_tokens[f"libm-unit-{slug(file)}-wrapped"] = wrapped
        text_tokens[f"libm-unit-{slug(file)}"] = base64.b64decode(wrapped).decode()
    text_tokens["design-seed-printed"] = SEED_PRINTED
    text_tokens["design-seed-repaired"] = SEED_REPAIRED
    text_tokens["design-seed-base62"] = armour(SEED_REPAIRED)
    text_tokens["design-seed-curl"] = SEED_CURL

    # `verify` splits its input at '|': macaroon first, then discharges.
    by_name = {v["name"]: v for v in data["vectors"]}
    verify_pairs = {
        "go-3p-with-discharge": go["v1_std_b64_unpadded_as_given"] + "|" + go["discharge_v2_as_given"],
        "go-3p-json-with-discharge": go["json_v2_as_given"] + "|" + go["discharge_json_v2_as_given"],
        "libm-readme-2-with-discharge": by_name["libm-readme-2-3p"]["v2_b64url"] + "|"
        + by_name["libm-readme-2-discharge"]["v1_b64url"],
    }

    targets = {
        "decode": {**text_tokens, **json_tokens, **{k: v for k, v in binary_tokens.items()}},
        "json": json_tokens,
        "verify": {**text_tokens, **json_tokens, **verify_pairs},
        "api": api_seeds(),
    }
    for target, seeds in targets.items():
        out = FUZZ / "corpus" / target
        out.mkdir(parents=True, exist_ok=True)
        for name, token in seeds.items():
            blob = token if isinstance(token, bytes) else token.encode()
            (out / f"seed-{name}").write_bytes(blob)
            # libFuzzer names corpus files by SHA-1; drop such a copy of a seed.
            (out / hashlib.sha1(blob).hexdigest()).unlink(missing_ok=True)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
