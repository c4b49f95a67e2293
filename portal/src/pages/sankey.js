// The settlement's Sankey diagram (d3-sankey), loaded lazily: net receipts flow
// through the waterfall's tiers to the payees (positive amounts of the period).
import { sankey, sankeyLinkHorizontal } from 'd3-sankey';
import { money } from '../util.js';

const palette = ['#1f6f8b', '#99582a', '#5a189a', '#2d6a4f', '#9d0208', '#3a5a40', '#6c584c', '#264653'];

export function sankeyLayout(run, statements, name, width, height) {
  const nodes = [{ id: 'receipts', label: 'Net receipts ' + money(run.net_receipts, run.currency) }];
  const ids = new Map([['receipts', 0]]);
  const node = (id, label) => {
    if (!ids.has(id)) { ids.set(id, nodes.length); nodes.push({ id, label }); }
    return ids.get(id);
  };
  const tierTotals = new Map();
  const links = [];
  for (const env of statements) {
    const s = env.statement;
    for (const item of s.items) {
      if (item.amount <= 0) continue;
      const tier = node('tier:' + item.tier, item.label || item.tier);
      const payee = node('payee:' + s.payee.id, name(s.payee.id));
      links.push({ source: tier, target: payee, value: item.amount });
      tierTotals.set(tier, (tierTotals.get(tier) || 0) + item.amount);
    }
  }
  for (const [tier, v] of tierTotals) links.push({ source: 0, target: tier, value: v });
  const layout = sankey().nodeWidth(14).nodePadding(12).extent([[4, 8], [width - 4, height - 8]]);
  const g = layout({ nodes: nodes.map((n) => ({ ...n })), links: links.map((l) => ({ ...l })) });
  const path = sankeyLinkHorizontal();
  const withMoney = (n) => n.label + (n.id === 'receipts' ? '' : ' ' + money(n.value, run.currency));
  return {
    nodes: g.nodes.map((n) => ({ x0: n.x0, x1: n.x1, y0: n.y0, y1: n.y1, label: withMoney(n), title: withMoney(n) })),
    links: g.links.map((l, i) => ({ path: path(l), width: l.width, color: palette[l.target.index % palette.length], title: `${l.source.label} → ${l.target.label}: ${money(l.value, run.currency)}` })),
    caption: `${run.period}: ${money(run.net_receipts, run.currency)} → ${statements.length} payees`,
  };
}
