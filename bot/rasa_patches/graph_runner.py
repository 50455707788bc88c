"""Rasa's model graph, run in dependency order without dask.

Every text read and every next action chosen runs a graph of components through
`DaskGraphRunner.run`, which builds a dask graph and has dask's scheduler order and run it each
time: about 6% of both servers' time under load, for graphs of a dozen nodes that run one after
another anyway. Here the order is worked out once per set of targets, and each node is called
with its parents' outputs, exactly as dask calls it (an input the graph does not have is passed
as its bare name, as dask passes it).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner

from bot.rasa_patches.registry import replace

Plan = dict[str, tuple[str, ...]]


def plan(schema: GraphSchema, targets: tuple[str, ...]) -> Plan:
    """The nodes `targets` need, each after the nodes it needs, with the names of its inputs."""
    ordered: Plan = {}

    def visit(name: str) -> None:
        if name in ordered or name not in schema.nodes:
            return
        needs = tuple(schema.nodes[name].needs.values())
        for need in needs:
            visit(need)
        ordered[name] = needs

    for target in targets:
        visit(target)
    return ordered


def run(self: DaskGraphRunner, inputs: dict[str, Any] | None = None,
        targets: list[str] | None = None) -> dict[str, Any]:
    """`DaskGraphRunner.run`: the same nodes called with the same arguments, the same result."""
    run_targets = targets if targets else self._graph_schema.target_names
    plans: dict[tuple[str, ...], Plan] = self.__dict__.setdefault("_plans", {})
    key = tuple(run_targets)
    if key not in plans:
        plans[key] = plan(self._graph_schema, key)
    nodes = plans[key]
    values: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and (value in nodes or value in values):
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of the "
                f"input names passed to the `run` method are the same as node names in the "
                f"graph schema.")
        values[name] = (name, value)
    try:
        for name, needs in nodes.items():
            if name in values:  # an input given for a node replaces the node, as in dask
                continue
            values[name] = self._instantiated_nodes[name](*(values.get(need, need)
                                                            for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(values.get(target, target) for target in run_targets)


def install() -> None:
    replace(DaskGraphRunner, "run", run)
