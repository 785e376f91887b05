"""``handout serve``: the local web page, on this computer only unless asked otherwise."""

from __future__ import annotations

import click

from .group import cli, folder_options, runs_on

SERVE_EXAMPLE = """\b
Examples:
  handout serve --open
  handout serve --port 8765
"""


@cli.command(epilog=SERVE_EXAMPLE)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; only a loopback address unless --allow-remote.")
@click.option("--allow-remote", is_flag=True,
              help="Allow an address other computers can reach. There is no login: anyone who reaches it can use it.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@folder_options()
def serve(port, host, allow_remote, open_browser, content_dirs, template_dirs):
    """Pick, dose, preview and print handouts on a web page on this computer."""
    from ..model.library import load_library
    from ..web.defaults import user_defaults
    from ..web.server import address, bind, is_loopback, run

    if not is_loopback(host) and not allow_remote:
        raise click.BadParameter(f"{host} is not a loopback address, so other computers could reach the page, and "
                                 "it has no login; give --allow-remote if that is what you want", param_hint="'--host'")
    defaults = user_defaults(content_dirs, template_dirs)
    load_library(defaults.content_dirs)  # bad content stops here, naming the file, not on the first page
    sock = bind(host, port)
    url = address(sock)[2]
    if not is_loopback(host):
        click.echo(f"warning: serving on {host}, reachable from other computers, with no login: anyone who can "
                   "reach this address can see and make handouts", err=True)
    click.echo(f"handout is serving on {url} (Ctrl-C to stop)")
    runs_on()
    run(sock, defaults, (lambda: click.launch(url)) if open_browser else None)
