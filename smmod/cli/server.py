"""``smmod server init``: set up a PostgreSQL database for several people (docs/server.md)."""

from __future__ import annotations

import argparse

from smmod.cli.common import EXIT_OK, context


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    server = sub.add_parser("server", help="a shared PostgreSQL database (run by its owner)")
    ssub = server.add_subparsers(dest="server_verb", required=True)
    p = ssub.add_parser("init", help="create the group roles, grants and row-level security "
                        "(safe to run again, and after every upgrade)")
    p.set_defaults(func=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    from smmod import server

    ctx = context(args)
    setup = server.init(ctx.database)
    print(f"Database '{setup.database}' is set up for several people.")
    if setup.created:
        print(f"Created the group roles: {', '.join(setup.created)}.")
    else:
        print("The group roles were already there; their grants are as smmod needs them.")
    for role, group in setup.groups.items():
        print(f"  {group:<40} {role}")
    print("From now on the database knows each person by their own login role: add people "
          "with 'smmod staff add' (it creates their login).")
    return EXIT_OK
