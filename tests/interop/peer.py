#!/usr/bin/python3
"""Interoperability peer for mintage's integration tests: a tiny command-line
front end to pymacaroons (Debian package python3-pymacaroons, 0.13.0).

Run it with Debian's interpreter, /usr/bin/python3, which is the one the
Debian package installs pymacaroons for.

    peer.py version
        Prints the pymacaroons version.
    peer.py mint --format F --secret S --location L --id ID
                 [--caveat PREDICATE | --third-party LOCATION SECRET CAVEAT_ID]...
        Mints a macaroon, adds the caveats in the order given, prints the
        token. A discharge macaroon is minted the same way (secret = the third
        party's secret, id = the caveat id).
    peer.py bind --format F ROOT DISCHARGE
        Prints DISCHARGE bound to ROOT (prepare_for_request) in format F.
    peer.py verify --secret S [--satisfy PREDICATE]... ROOT [DISCHARGE]...
        Prints "verified" or "not verified: ...".
    peer.py inspect TOKEN
        Prints "location L", "identifier I", then per caveat "cid C" and, for a
        third-party caveat, "vid HEX" and "cl L", and finally "signature HEX".

F is one of v1, v2, v2json (the V2 JSON format) and v1json (legacy V1 JSON).
Tokens are read in any of those formats: text starting with "{" is JSON,
anything else base64 of V1 or V2.

Exit codes: 0 success / verified, 3 not verified, 4 error (a token that does
not decode, a library failure), 2 usage error.
"""

import argparse
import binascii
import inspect
import sys

EXIT_NOT_VERIFIED = 3
EXIT_ERROR = 4

try:
    import nacl.exceptions
    import pymacaroons
    from pymacaroons import MACAROON_V1, MACAROON_V2, Macaroon, Verifier
    from pymacaroons.exceptions import MacaroonVerificationFailedException
    from pymacaroons.serializers import BinarySerializer, JsonSerializer
except ImportError as e:
    print("peer.py: cannot import pymacaroons with %s: %s "
          "(install the Debian package python3-pymacaroons)" % (sys.executable, e),
          file=sys.stderr)
    sys.exit(EXIT_ERROR)

FORMATS = {
    "v1": (MACAROON_V1, BinarySerializer),
    "v2": (MACAROON_V2, BinarySerializer),
    "v2json": (MACAROON_V2, JsonSerializer),
    "v1json": (MACAROON_V1, JsonSerializer),
}


def encode(m, fmt):
    version, serializer = FORMATS[fmt]
    if m.version != version:
        raise ValueError("macaroon has version %d, format %s needs %d" % (m.version, fmt, version))
    return m.serialize(serializer=serializer())


def decode(token):
    if token.lstrip().startswith("{"):
        return Macaroon.deserialize(token, serializer=JsonSerializer())
    return Macaroon.deserialize(token, serializer=BinarySerializer())


def as_version(m, fmt):
    """The same macaroon, relabelled for format fmt (V1 and V2 share the crypto)."""
    version, _ = FORMATS[fmt]
    if m.version == version:
        return m
    return Macaroon(location=m.location, identifier=m.identifier_bytes,
                    caveats=m.caveats, signature=m.signature_bytes, version=version)


def cmd_mint(args):
    version, _ = FORMATS[args.format]
    m = Macaroon(location=args.location, identifier=args.id, key=args.secret, version=version)
    for caveat in args.caveats or []:
        if len(caveat) == 1:
            m.add_first_party_caveat(caveat[0])
        else:
            location, secret, cid = caveat
            m.add_third_party_caveat(location, secret, cid)
    print(encode(m, args.format))
    return 0


def cmd_bind(args):
    root = decode(args.root)
    discharge = decode(args.discharge)
    bound = root.prepare_for_request(discharge)
    print(encode(as_version(bound, args.format), args.format))
    return 0


def cmd_verify(args):
    macaroons = [decode(t) for t in args.tokens]
    root, discharges = macaroons[0], macaroons[1:]
    # pymacaroons 0.13.0 takes the discharges as verify's third argument; later
    # versions moved them into the Verifier's constructor.
    takes_discharges = "discharge_macaroons" in inspect.signature(Verifier.verify).parameters
    v = Verifier() if takes_discharges else Verifier(discharge_macaroons=discharges)
    for predicate in args.satisfy or []:
        v.satisfy_exact(predicate)
    try:
        if takes_discharges:
            v.verify(root, args.secret, discharges)
        else:
            v.verify(root, args.secret)
    except (MacaroonVerificationFailedException, nacl.exceptions.CryptoError) as e:
        print("not verified: %s: %s" % (type(e).__name__, e))
        return EXIT_NOT_VERIFIED
    print("verified")
    return 0


def cmd_inspect(args):
    m = decode(args.token)
    print("location %s" % m.location)
    print("identifier %s" % m.identifier_bytes.decode("utf-8"))
    for c in m.caveats:
        print("cid %s" % c.caveat_id_bytes.decode("utf-8"))
        if c.third_party():
            print("vid %s" % binascii.hexlify(c.verification_key_id).decode("ascii"))
            print("cl %s" % c.location)
    print("signature %s" % m.signature)
    return 0


def version(_args):
    print(pymacaroons.__version__)
    return 0


def parser():
    p = argparse.ArgumentParser(prog="peer.py")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("version").set_defaults(run=version)

    mint = sub.add_parser("mint")
    mint.add_argument("--format", required=True, choices=sorted(FORMATS))
    mint.add_argument("--secret", required=True)
    mint.add_argument("--location", required=True)
    mint.add_argument("--id", required=True)
    # Both caveat kinds append to one list, so their order is kept.
    mint.add_argument("--caveat", dest="caveats", action="append", nargs=1,
                      metavar="PREDICATE")
    mint.add_argument("--third-party", dest="caveats", action="append", nargs=3,
                      metavar=("LOCATION", "SECRET", "CAVEAT_ID"))
    mint.set_defaults(run=cmd_mint)

    bind = sub.add_parser("bind")
    bind.add_argument("--format", required=True, choices=sorted(FORMATS))
    bind.add_argument("root")
    bind.add_argument("discharge")
    bind.set_defaults(run=cmd_bind)

    verify = sub.add_parser("verify")
    verify.add_argument("--secret", required=True)
    verify.add_argument("--satisfy", action="append")
    verify.add_argument("tokens", nargs="+", metavar="TOKEN")
    verify.set_defaults(run=cmd_verify)

    insp = sub.add_parser("inspect")
    insp.add_argument("token")
    insp.set_defaults(run=cmd_inspect)
    return p


def main():
    args = parser().parse_args()
    try:
        return args.run(args)
    except Exception as e:  # a token that does not decode, a library failure
        print("peer.py: %s failed: %s: %s" % (args.command, type(e).__name__, e), file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
