// The derivation graph's layout (dagre, layered), loaded lazily by the work page.
import dagre from '@dagrejs/dagre';

export function layoutGraph(nodes, edges) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { ...n, width: Math.max(150, 9 * n.label.length), height: 52 });
  for (const e of edges) g.setEdge(e.from, e.to, { label: e.label, width: 60, height: 18 });
  dagre.layout(g);
  const out = { width: Math.ceil(g.graph().width), height: Math.ceil(g.graph().height), nodes: [], edges: [] };
  for (const id of g.nodes()) out.nodes.push({ id, ...g.node(id) });
  for (const e of g.edges()) {
    const d = g.edge(e);
    const pts = d.points;
    out.edges.push({ path: 'M' + pts.map((p) => `${p.x},${p.y}`).join(' L'), label: d.label, lx: d.x, ly: d.y });
  }
  return out;
}
