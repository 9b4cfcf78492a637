/*
 * Interoperability peer for mintage's integration tests: a tiny command-line
 * front end to libmacaroons (Debian package libmacaroons-dev, 0.3.0; V1 only).
 *
 *   peer mint --format v1 --secret S --location L --id ID
 *             [--caveat PREDICATE | --third-party LOCATION SECRET CAVEAT_ID]...
 *       Mints a macaroon, adds the caveats in the order given, prints the token.
 *       A discharge macaroon is minted the same way (secret = the third
 *       party's secret, id = the caveat id).
 *   peer bind --format v1 ROOT DISCHARGE
 *       Prints DISCHARGE bound to ROOT (macaroon_prepare_for_request).
 *   peer verify --secret S [--satisfy PREDICATE]... ROOT [DISCHARGE]...
 *       Prints "verified" or "not verified: ...".
 *   peer inspect TOKEN
 *       Prints "location L", "identifier I", "third-party-caveats N" and
 *       "signature HEX", one per line.
 *
 * Exit codes: 0 success / verified, 3 not verified, 4 error (a token that does
 * not decode, a library failure), 2 usage error.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <macaroons.h>

#define EXIT_NOT_VERIFIED 3
#define EXIT_ERROR 4
#define EXIT_USAGE 2

static const char *
rc_name(enum macaroon_returncode rc)
{
    switch (rc)
    {
        case MACAROON_SUCCESS: return "MACAROON_SUCCESS";
        case MACAROON_OUT_OF_MEMORY: return "MACAROON_OUT_OF_MEMORY";
        case MACAROON_HASH_FAILED: return "MACAROON_HASH_FAILED";
        case MACAROON_INVALID: return "MACAROON_INVALID";
        case MACAROON_TOO_MANY_CAVEATS: return "MACAROON_TOO_MANY_CAVEATS";
        case MACAROON_CYCLE: return "MACAROON_CYCLE";
        case MACAROON_BUF_TOO_SMALL: return "MACAROON_BUF_TOO_SMALL";
        case MACAROON_NOT_AUTHORIZED: return "MACAROON_NOT_AUTHORIZED";
        case MACAROON_NO_JSON_SUPPORT: return "MACAROON_NO_JSON_SUPPORT";
    }
    return "unknown return code";
}

static int
usage(const char *why)
{
    fprintf(stderr, "peer: %s\n", why);
    fprintf(stderr,
            "usage: peer mint --format v1 --secret S --location L --id ID "
            "[--caveat P | --third-party LOC SECRET CID]...\n"
            "       peer bind --format v1 ROOT DISCHARGE\n"
            "       peer verify --secret S [--satisfy P]... ROOT [DISCHARGE]...\n"
            "       peer inspect TOKEN\n");
    return EXIT_USAGE;
}

static int
fail(const char *what, enum macaroon_returncode rc)
{
    fprintf(stderr, "peer: %s failed: %s (%d)\n", what, rc_name(rc), (int)rc);
    return EXIT_ERROR;
}

static const unsigned char *
u(const char *s)
{
    return (const unsigned char *)s;
}

static int
check_format(const char *format)
{
    if (strcmp(format, "v1") != 0)
    {
        fprintf(stderr, "peer: libmacaroons 0.3.0 writes only format v1, not %s\n", format);
        return EXIT_USAGE;
    }
    return 0;
}

/* Serializes M and prints it on one line. */
static int
print_token(const struct macaroon *M)
{
    enum macaroon_returncode rc = MACAROON_SUCCESS;
    size_t size = macaroon_serialize_size_hint(M);
    char *buf = malloc(size + 1);
    if (buf == NULL)
        return fail("malloc", MACAROON_OUT_OF_MEMORY);
    if (macaroon_serialize(M, buf, size + 1, &rc) < 0)
    {
        free(buf);
        return fail("macaroon_serialize", rc);
    }
    buf[size] = '\0';
    printf("%s\n", buf);
    free(buf);
    return 0;
}

static struct macaroon *
decode(const char *token, const char *what)
{
    enum macaroon_returncode rc = MACAROON_SUCCESS;
    struct macaroon *M = macaroon_deserialize(token, &rc);
    if (M == NULL)
        fprintf(stderr, "peer: macaroon_deserialize of %s failed: %s (%d)\n",
                what, rc_name(rc), (int)rc);
    return M;
}

/* Replaces *M by NEXT (or reports the failure), freeing the old value. */
static int
step(struct macaroon **M, struct macaroon *next, const char *what, enum macaroon_returncode rc)
{
    if (next == NULL)
        return fail(what, rc);
    macaroon_destroy(*M);
    *M = next;
    return 0;
}

static int
cmd_mint(int argc, char **argv)
{
    const char *format = NULL, *secret = NULL, *location = NULL, *id = NULL;
    int i;
    /* First pass: the options that must precede caveats logically. */
    for (i = 0; i < argc; ++i)
    {
        if (strcmp(argv[i], "--caveat") == 0 && i + 1 < argc)
            i += 1;
        else if (strcmp(argv[i], "--third-party") == 0 && i + 3 < argc)
            i += 3;
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "--secret") == 0 && i + 1 < argc)
            secret = argv[++i];
        else if (strcmp(argv[i], "--location") == 0 && i + 1 < argc)
            location = argv[++i];
        else if (strcmp(argv[i], "--id") == 0 && i + 1 < argc)
            id = argv[++i];
        else
            return usage("mint: bad or incomplete option");
    }
    if (format == NULL || secret == NULL || location == NULL || id == NULL)
        return usage("mint needs --format, --secret, --location and --id");
    if (check_format(format) != 0)
        return EXIT_USAGE;

    enum macaroon_returncode rc = MACAROON_SUCCESS;
    struct macaroon *M = macaroon_create(u(location), strlen(location),
                                         u(secret), strlen(secret),
                                         u(id), strlen(id), &rc);
    if (M == NULL)
        return fail("macaroon_create", rc);

    int status = 0;
    /* Second pass: the caveats, in order. */
    for (i = 0; i < argc && status == 0; ++i)
    {
        if (strcmp(argv[i], "--caveat") == 0)
        {
            const char *p = argv[++i];
            struct macaroon *N = macaroon_add_first_party_caveat(M, u(p), strlen(p), &rc);
            status = step(&M, N, "macaroon_add_first_party_caveat", rc);
        }
        else if (strcmp(argv[i], "--third-party") == 0)
        {
            const char *loc = argv[i + 1], *key = argv[i + 2], *cid = argv[i + 3];
            i += 3;
            struct macaroon *N = macaroon_add_third_party_caveat(M, u(loc), strlen(loc),
                                                                 u(key), strlen(key),
                                                                 u(cid), strlen(cid), &rc);
            status = step(&M, N, "macaroon_add_third_party_caveat", rc);
        }
        else
        {
            ++i; /* --format, --secret, --location, --id and their value */
        }
    }
    if (status == 0)
        status = print_token(M);
    macaroon_destroy(M);
    return status;
}

static int
cmd_bind(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[0], "--format") != 0)
        return usage("bind takes --format v1 ROOT DISCHARGE");
    if (check_format(argv[1]) != 0)
        return EXIT_USAGE;
    struct macaroon *M = decode(argv[2], "root");
    if (M == NULL)
        return EXIT_ERROR;
    struct macaroon *D = decode(argv[3], "discharge");
    if (D == NULL)
    {
        macaroon_destroy(M);
        return EXIT_ERROR;
    }
    enum macaroon_returncode rc = MACAROON_SUCCESS;
    struct macaroon *B = macaroon_prepare_for_request(M, D, &rc);
    int status = B == NULL ? fail("macaroon_prepare_for_request", rc) : print_token(B);
    if (B != NULL)
        macaroon_destroy(B);
    macaroon_destroy(D);
    macaroon_destroy(M);
    return status;
}

static int
cmd_verify(int argc, char **argv)
{
    const char *secret = NULL;
    enum macaroon_returncode rc = MACAROON_SUCCESS;
    struct macaroon_verifier *V = macaroon_verifier_create();
    if (V == NULL)
        return fail("macaroon_verifier_create", MACAROON_OUT_OF_MEMORY);

    int i = 0;
    for (; i < argc; ++i)
    {
        if (strcmp(argv[i], "--secret") == 0 && i + 1 < argc)
            secret = argv[++i];
        else if (strcmp(argv[i], "--satisfy") == 0 && i + 1 < argc)
        {
            const char *p = argv[++i];
            if (macaroon_verifier_satisfy_exact(V, u(p), strlen(p), &rc) < 0)
            {
                macaroon_verifier_destroy(V);
                return fail("macaroon_verifier_satisfy_exact", rc);
            }
        }
        else if (strncmp(argv[i], "--", 2) == 0)
        {
            macaroon_verifier_destroy(V);
            return usage("verify: bad or incomplete option");
        }
        else
            break;
    }
    if (secret == NULL || i >= argc)
    {
        macaroon_verifier_destroy(V);
        return usage("verify needs --secret and a token");
    }

    size_t n = (size_t)(argc - i);
    struct macaroon **all = calloc(n, sizeof(*all));
    int status = all == NULL ? fail("calloc", MACAROON_OUT_OF_MEMORY) : 0;
    for (size_t k = 0; k < n && status == 0; ++k)
    {
        all[k] = decode(argv[i + (int)k], k == 0 ? "root" : "discharge");
        if (all[k] == NULL)
            status = EXIT_ERROR;
    }
    if (status == 0)
    {
        rc = MACAROON_SUCCESS;
        int result = macaroon_verify(V, all[0], u(secret), strlen(secret),
                                     all + 1, n - 1, &rc);
        if (result == 0)
        {
            printf("verified\n");
        }
        else if (rc == MACAROON_NOT_AUTHORIZED)
        {
            printf("not verified: %s\n", rc_name(rc));
            status = EXIT_NOT_VERIFIED;
        }
        else
        {
            status = fail("macaroon_verify", rc);
        }
    }
    for (size_t k = 0; all != NULL && k < n; ++k)
        if (all[k] != NULL)
            macaroon_destroy(all[k]);
    free(all);
    macaroon_verifier_destroy(V);
    return status;
}

static void
print_field(const char *name, const unsigned char *data, size_t size)
{
    printf("%s ", name);
    fwrite(data, 1, size, stdout);
    printf("\n");
}

static int
cmd_inspect(int argc, char **argv)
{
    if (argc != 1)
        return usage("inspect takes one token");
    struct macaroon *M = decode(argv[0], "token");
    if (M == NULL)
        return EXIT_ERROR;
    const unsigned char *data = NULL;
    size_t size = 0;
    macaroon_location(M, &data, &size);
    print_field("location", data, size);
    macaroon_identifier(M, &data, &size);
    print_field("identifier", data, size);
    printf("third-party-caveats %u\n", macaroon_num_third_party_caveats(M));
    macaroon_signature(M, &data, &size);
    printf("signature ");
    for (size_t k = 0; k < size; ++k)
        printf("%02x", data[k]);
    printf("\n");
    macaroon_destroy(M);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 2)
        return usage("missing command");
    const char *cmd = argv[1];
    int status;
    if (strcmp(cmd, "mint") == 0)
        status = cmd_mint(argc - 2, argv + 2);
    else if (strcmp(cmd, "bind") == 0)
        status = cmd_bind(argc - 2, argv + 2);
    else if (strcmp(cmd, "verify") == 0)
        status = cmd_verify(argc - 2, argv + 2);
    else if (strcmp(cmd, "inspect") == 0)
        status = cmd_inspect(argc - 2, argv + 2);
    else
        status = usage("unknown command");
    if (fflush(stdout) != 0)
        return EXIT_ERROR;
    return status;
}
