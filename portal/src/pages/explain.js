// The waterfall in plain words, as `vtrust agreement explain` prints it
// (src/settlement/explain.cc), for the console's draft preview.
import { money } from '../util.js';

function rate(r) {
  if (!r) return '';
  if (r.bp !== undefined) return (r.bp / 100).toString() + '%';
  if (r.num !== undefined) {
    const p = (100 * r.num) / r.den;
    return Number.isInteger(p * 10) ? p + '%' : `${r.num}/${r.den}`;
  }
  return '';
}
const base = (t) => (t.base === 'gross' ? 'gross receipts' : 'what remains');

export function explainTerms(a, name = (x) => x) {
  if (!a || !Array.isArray(a.tiers)) return [];
  const cur = a.currency || 'CNY';
  const who = (id) => {
    const p = (a.parties || []).find((x) => x.id === id);
    const n = name(id);
    return n !== id ? n : p && p.name ? p.name : id;
  };
  const label = (t) => (t.label ? ` (${t.label})` : '');
  const cap = (t) => (t.cap !== undefined ? `, up to ${money(t.cap, cur)} in total` : '');
  const out = [];
  const scope = a.scope;
  if (scope) {
    out.push('Applies to revenue' + (scope.territories && scope.territories.length ? ' in territories ' + scope.territories.join(', ') : ' in all territories') +
      (scope.channels && scope.channels.length ? ', on channels ' + scope.channels.join(', ') : ', on all channels') +
      (scope.period_from || scope.period_to ? `, earned from ${scope.period_from || '…'} to ${scope.period_to || '…'}` : '') + '.');
  }
  const tiers = (list, prefix) => list.forEach((t, i) => {
    const n = `${prefix}${i + 1}.`;
    let s = '';
    switch (t.kind) {
      case 'fee': s = `${who(t.payee)} takes a fee of ${rate(t.rate)} of ${base(t)}${cap(t)}${label(t)}.`; break;
      case 'corridor': s = `${who(t.payee)} takes a corridor of ${rate(t.rate)} of ${base(t)}${cap(t)}${label(t)}.`; break;
      case 'royalty': s = `An upstream royalty of ${rate(t.rate)} of ${base(t)}${cap(t)}${label(t)} is paid into ${who(t.payee)}, which is settled next.`; break;
      case 'fixed': s = `${who(t.payee)} receives a fixed ${money(t.amount, cur)}${label(t)} from the first receipts.`; break;
      case 'recoupment': s = `${who(t.payee)} recoups ${money(t.cap, cur)}${label(t)} from ${t.rate ? rate(t.rate) + ' of what remains' : 'all that remains'} until recouped.`; break;
      case 'shares': {
        const sum = (t.shares || []).reduce((x, y) => x + y.weight, 0);
        s = `What remains is shared${label(t)}: ` + (t.shares || []).map((sh) => {
          const w = sh.pool ? `the ${sh.pool.name || sh.pool.id} (pool ${sh.pool.id})` : who(sh.payee);
          return t.unit === 'bp' ? `${w} ${(sh.weight / 100).toString()}%` : `${w} ${sh.weight} of ${sum} units`;
        }).join(', ') + '.';
        break;
      }
      default: s = `${t.kind || '?'} tier ${t.id || ''}`;
    }
    out.push(`${n} ${s}`);
    for (const sh of t.shares || []) if (sh.pool && sh.pool.tiers) {
      out.push(`   Within the ${sh.pool.name || sh.pool.id} (pool ${sh.pool.id}), its amount is divided again:`);
      tiers(sh.pool.tiers, n);
    }
  });
  tiers(a.tiers, '');
  return out;
}
