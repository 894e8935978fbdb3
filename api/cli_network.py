"""The network commands of the command line.

- ``mandategraph network [--format table|json|graphml|gexf|html]``: the partnership
  network and each actor's figures;
- ``mandategraph network stats [--theme KEY] [--json]``: the figures as a table
  (whole graph, then per actor), for the whole graph or one theme, state, year range;
- ``mandategraph viz partnerships|mandates|reach --out FILE``: a network as a file
  whose format follows the extension (``.html``, ``.gexf``, ``.graphml``, ``.json``).

:func:`register` adds them to the main app; the main app hands over how to open the
store and report errors, so this module does not import it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import networkx as nx
import typer
from rich.console import Console
from rich.table import Table

from mandategraph.api.responses import STATIC_DIR
from mandategraph.errors import BadParameterError, StoreError
from mandategraph.graph.store import Store
from mandategraph.visualizations.analytics import (
    DRAW_LIMIT,
    SKIP_BETWEENNESS,
    metrics,
    stats_json,
    summary,
)
from mandategraph.visualizations.export import FORMATS, export, to_graphml, to_json_bytes
from mandategraph.visualizations.graphs import (
    KINDS,
    checked_filters,
    mandate_graph,
    partnership_graph,
    reach_graph,
)
from mandategraph.visualizations.page import to_html

#: vis-network, fetched from the npm registry by ``make assets``.
VIS_JS = STATIC_DIR / "vendor" / "vis-network" / "vis-network.min.js"
#: Vega, Vega-Lite and vega-embed, and the map's shapes (npm's world-atlas).
VEGA = [STATIC_DIR / "vendor" / "vega" / name
        for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")]
ATLAS = STATIC_DIR / "vendor" / "world-atlas" / "countries-50m.json"
#: What ``viz`` writes for a chart, by extension.
CHART_SUFFIXES = (".html", ".svg", ".png", ".json")

out = Console()

ThemeOption = Annotated[str | None, typer.Option(help="Only activities of this theme key.")]
StateOption = Annotated[
    str | None, typer.Option(help="Only activities for this state (ISO alpha-3).")]
FromOption = Annotated[
    int | None, typer.Option("--year-from", help="Only activities of this year or later.")]
ToOption = Annotated[
    int | None, typer.Option("--year-to", help="Only activities of this year or earlier.")]
KindOption = Annotated[list[str] | None, typer.Option(
    "--kind", help=f"Only actors of this kind ({', '.join(KINDS)}); repeatable.")]
ChartOut = Annotated[Path, typer.Option("--out", "-o", help=(
    "File to write; its extension names the format: .html, .svg, .png, .json"))]
NetworkOut = Annotated[Path, typer.Option("--out", "-o", help=(
    "File to write: " + ", ".join(FORMATS)))]
ActorOption = Annotated[str | None, typer.Option(help="Only this actor and its direct partners.")]
TopOption = Annotated[int, typer.Option("--top", min=0, help=(
    f"An .html page draws only this many actors, the most connected (0: all); "
    f"the figures and the other formats keep every actor. [default: {DRAW_LIMIT}]"),
    show_default=False)]


class NetworkFormat(StrEnum):
    """Output formats of ``mandategraph network``."""

    table = "table"
    html = "html"
    json = "json"
    graphml = "graphml"
    gexf = "gexf"


class Network(StrEnum):
    """The networks ``mandategraph viz`` draws."""

    partnerships = "partnerships"
    mandates = "mandates"
    reach = "reach"


def _asset(path: Path) -> str:
    if not path.is_file():
        raise StoreError(f"{path.name} is missing ({path}): run 'make assets'")
    return path.read_text(encoding="utf-8")


def write_chart(spec: dict[str, Any], suffix: str, title: str) -> bytes:
    """A chart's spec as the file an extension names.

    Raises:
        BadParameterError: an extension not in :data:`CHART_SUFFIXES`.
    """
    from mandategraph.visualizations import charts  # altair: only when a chart is drawn

    if suffix == ".json":
        return json.dumps(spec, indent=2).encode("utf-8")
    if suffix == ".html":
        return charts.to_html(spec, scripts=[_asset(p) for p in VEGA], title=title).encode()
    if suffix in (".svg", ".png"):
        return charts.render(spec, suffix[1:])
    raise BadParameterError(f"cannot tell the format from {suffix or 'a name without extension'!r}"
                            f": use one of {', '.join(CHART_SUFFIXES)}")


def vis_script() -> str:
    """The vis-network script a standalone page inlines.

    Raises:
        StoreError: the web assets were not fetched (``make assets``).
    """
    if not VIS_JS.is_file():
        raise StoreError(f"vis-network is missing ({VIS_JS}): run 'make assets'")
    return VIS_JS.read_text(encoding="utf-8")


def register(app: typer.Typer, *, open_store: Callable[..., Store],
             handle_errors: Callable[[Any], Any],
             write_output: Callable[[bytes, Path | None], None]) -> None:
    """Add ``network`` (with ``network stats``) and ``viz`` to ``app``."""
    network_app = typer.Typer(help="Who works with whom: the partnership network.",
                              invoke_without_command=True, no_args_is_help=False)
    viz_app = typer.Typer(help="Networks and charts as files (the format from the extension).",
                          no_args_is_help=True)
    app.add_typer(network_app, name="network")
    app.add_typer(viz_app, name="viz")

    def partnerships(theme: str | None, state: str | None, year_from: int | None,
                     year_to: int | None, kind: list[str] | None,
                     actor: str | None = None) -> nx.Graph:
        with open_store(write=False) as store:
            filters = checked_filters(store, theme=theme, state=state, year_from=year_from,
                                      year_to=year_to, kinds=kind or [])
            return partnership_graph(store, filters, actor=actor)

    @network_app.callback()
    @handle_errors
    def network(
        ctx: typer.Context,
        fmt: Annotated[NetworkFormat, typer.Option("--format", "-f", help="Output format.")] = (
            NetworkFormat.table
        ),
        theme: ThemeOption = None,
        state: StateOption = None,
        year_from: FromOption = None,
        year_to: ToOption = None,
        kind: KindOption = None,
        actor: ActorOption = None,
        top: TopOption = DRAW_LIMIT,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
        ] = None,
    ) -> None:
        """Who works with whom: the partnership network, its metrics, its files."""
        if ctx.invoked_subcommand is not None:
            return
        graph = partnerships(theme, state, year_from, year_to, kind, actor)
        if fmt is NetworkFormat.table:
            _actor_table(graph)
            return
        if fmt is NetworkFormat.html:
            body = to_html(graph, vis_js=vis_script(), limit=top).encode("utf-8")
        elif fmt is NetworkFormat.json:
            body = to_json_bytes(graph)
        elif fmt is NetworkFormat.graphml:
            body = to_graphml(graph)
        else:
            body = export(graph, ".gexf")
        write_output(body, output)

    @network_app.command("stats")
    @handle_errors
    def stats(
        theme: ThemeOption = None,
        state: StateOption = None,
        year_from: FromOption = None,
        year_to: ToOption = None,
        kind: KindOption = None,
        actor: ActorOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables.")] = False,
    ) -> None:
        """Weighted degree, betweenness (who brokers) and communities, for the whole graph
        or one theme, state or year range."""
        graph = partnerships(theme, state, year_from, year_to, kind, actor)
        if as_json:
            out.print_json(json.dumps(stats_json(graph)))
            return
        figures = summary(graph)
        scope = f" ({figures['filters']})" if figures["filters"] else ""
        table = Table(title="The network" + scope)
        table.add_column("figure")
        table.add_column("value", overflow="fold")
        for key in ("nodes", "edges", "shared_activities", "density", "components", "modularity"):
            table.add_row(key.replace("_", " "), str(figures[key]))
        table.add_row("communities", str(len(figures["communities"])))
        table.add_row("brokers", ", ".join(figures["brokers"]) or "-")
        if not figures["betweenness_sources"] and figures["nodes"] > 2:
            table.add_row("betweenness", f"not computed above {SKIP_BETWEENNESS:,} actors")
        out.print(table)
        _actor_table(graph)

    @viz_app.command("partnerships")
    @handle_errors
    def viz_partnerships(
        out_file: Annotated[Path, typer.Option("--out", "-o", help=(
            "File to write; its extension names the format: .html, " + ", ".join(FORMATS)))],
        theme: ThemeOption = None,
        state: StateOption = None,
        year_from: FromOption = None,
        year_to: ToOption = None,
        kind: KindOption = None,
        actor: ActorOption = None,
        top: TopOption = DRAW_LIMIT,
    ) -> None:
        """The partnership network as a file (format from the extension)."""
        suffix = out_file.suffix.lower()
        if suffix not in (".svg", ".png"):
            _check_suffix(suffix, html=True)
        graph = partnerships(theme, state, year_from, year_to, kind, actor)
        if suffix in (".svg", ".png"):
            from mandategraph.visualizations import charts

            write_output(charts.render(charts.network_chart(graph), suffix[1:]), out_file)
        elif suffix == ".html":
            title = f"{actor} and its partners" if actor else "Who works with whom"
            write_output(to_html(graph, vis_js=vis_script(), title=title, limit=top)
                         .encode("utf-8"), out_file)
        else:
            write_output(export(graph, suffix), out_file)

    def chart(name: str, out_file: Path, theme: str | None, state: str | None,
              year_from: int | None, year_to: int | None) -> None:
        from mandategraph.visualizations import charts

        suffix = out_file.suffix.lower()
        if suffix not in CHART_SUFFIXES:
            write_chart({}, suffix, name)  # the one-line error, before any work
        with open_store(write=False) as store:
            filters = checked_filters(store, theme=theme, state=state, year_from=year_from,
                                      year_to=year_to)
            atlas: str | dict[str, Any] = ""
            if name == "map":
                atlas = json.loads(_asset(ATLAS))
            spec = charts.chart_spec(name, store, filters, atlas=atlas)
        write_output(write_chart(spec, suffix, charts.CHARTS[name][0]), out_file)

    @viz_app.command("timeline")
    @handle_errors
    def viz_timeline(out_file: ChartOut, theme: ThemeOption = None, state: StateOption = None,
                     year_from: FromOption = None, year_to: ToOption = None) -> None:
        """Activities per year and theme (stacked bars)."""
        chart("timeline", out_file, theme, state, year_from, year_to)

    @viz_app.command("map")
    @handle_errors
    def viz_map(out_file: ChartOut, theme: ThemeOption = None, year_from: FromOption = None,
                year_to: ToOption = None) -> None:
        """The member states, coloured by the activities benefiting them."""
        chart("map", out_file, theme, None, year_from, year_to)

    @viz_app.command("themes")
    @handle_errors
    def viz_themes(out_file: ChartOut, state: StateOption = None, year_from: FromOption = None,
                   year_to: ToOption = None) -> None:
        """Activities per theme."""
        chart("themes", out_file, None, state, year_from, year_to)

    @viz_app.command("partners")
    @handle_errors
    def viz_partners(out_file: ChartOut, theme: ThemeOption = None, state: StateOption = None,
                     year_from: FromOption = None, year_to: ToOption = None) -> None:
        """The top partners of each OAS body."""
        chart("partners", out_file, theme, state, year_from, year_to)

    def network_file(out_file: Path, draw: Callable[[Store, Any], nx.Graph],
                     **filters: Any) -> None:
        """Write the network ``draw`` reads with these filters, as ``out_file`` names."""
        suffix = out_file.suffix.lower()
        _check_suffix(suffix, html=False)
        with open_store(write=False) as store:
            graph = draw(store, checked_filters(store, **filters))
        write_output(export(graph, suffix), out_file)

    @viz_app.command("mandates")
    @handle_errors
    def viz_mandates(out_file: NetworkOut, theme: ThemeOption = None, state: StateOption = None,
                     year_from: FromOption = None, year_to: ToOption = None) -> None:
        """Mandate -> activity -> actor, as a file (format from the extension)."""
        network_file(out_file, mandate_graph, theme=theme, state=state, year_from=year_from,
                     year_to=year_to)

    @viz_app.command("reach")
    @handle_errors
    def viz_reach(out_file: NetworkOut, theme: ThemeOption = None, year_from: FromOption = None,
                  year_to: ToOption = None, kind: KindOption = None) -> None:
        """Actor -> state its activities benefit, as a file (format from the extension)."""
        network_file(out_file, reach_graph, theme=theme, year_from=year_from, year_to=year_to,
                     kinds=kind or [])


def _check_suffix(suffix: str, *, html: bool) -> None:
    known = ([".html"] if html else []) + list(FORMATS)
    if suffix not in known:
        raise BadParameterError(
            f"cannot tell the format from {suffix or 'a name without extension'!r}: "
            f"use one of {', '.join(known)}")


def _actor_table(graph: nx.Graph) -> None:
    table = Table(title="Actors")
    for name in ("actor", "kind", "activities", "partners", "weighted degree", "betweenness",
                 "community"):
        table.add_column(name, justify="left" if name in ("actor", "kind") else "right")
    for m in metrics(graph):
        table.add_row(m.code, m.kind, str(m.activities), str(m.partners), str(m.weighted_degree),
                      f"{m.betweenness:.3f}", str(m.community))
    out.print(table)
