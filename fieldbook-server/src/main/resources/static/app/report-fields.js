// A daily report as the flat set of fields the sync protocol speaks (fieldbook-protocol ReportField):
// text fields as strings or null, the temperature as a number, the crew as the whole list of rows.

export const CONTENT = ['weather.conditions', 'weather.temperatureCelsius', 'crew', 'workPerformed', 'delays',
  'safetyIncidents', 'materials', 'notes'];
export const TEXTS = ['workPerformed', 'delays', 'safetyIncidents', 'materials', 'notes'];

/** A random UUID (version 4); works outside secure contexts too. */
export function uuid() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Today in a site's timezone, as YYYY-MM-DD. */
export function todayIn(timezone) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(new Date());
  } catch (unknownZone) {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  }
}

/**
 * The latest month that has begun anywhere (UTC+14 is the earliest clock): a site far east may be in it while this
 * browser is not yet. No month after it has a report.
 */
export function latestMonth() {
  return new Date(Date.now() + 14 * 3600 * 1000).toISOString().slice(0, 7);
}

export function emptyContent() {
  return {
    'weather.conditions': null, 'weather.temperatureCelsius': null, crew: [], workPerformed: null, delays: null,
    safetyIncidents: null, materials: null, notes: null,
  };
}

/** The fields of a report as the server sends it (protocol Report). */
export function fieldsOf(report) {
  const content = report.content || {};
  return {
    siteId: report.siteId,
    date: report.date,
    status: report.status,
    returnComment: report.returnComment ?? null,
    'weather.conditions': content.weather?.conditions ?? null,
    'weather.temperatureCelsius': content.weather?.temperatureCelsius ?? null,
    crew: (content.crew || []).map(crewRow),
    workPerformed: content.workPerformed ?? null,
    delays: content.delays ?? null,
    safetyIncidents: content.safetyIncidents ?? null,
    materials: content.materials ?? null,
    notes: content.notes ?? null,
  };
}

function crewRow(row) {
  return { trade: row.trade ?? '', company: row.company ?? null, headcount: row.headcount ?? 0, hours: row.hours ?? 0 };
}

/** Equal as JSON values (numbers by value, absent as null). */
export function same(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The content fields whose values differ between {@code from} and {@code to}, with the values of {@code to}. */
export function changed(from, to) {
  const changes = {};
  for (const name of CONTENT) {
    if (name in to && !same(from[name], to[name])) {
      changes[name] = to[name] ?? null;
    }
  }
  return changes;
}

/**
 * What the server would refuse in this content (the constraints of ReportContent, Weather and CrewRow),
 * as a message key, or null when it is fine. Such content stays on the device until it is fixed.
 */
export function problemOf(fields) {
  return problemsAt(fields)[0]?.key ?? null;
}

/**
 * Every content the server would refuse, in the order of the form, and where each is: the message key of
 * {@link problemOf}, the field ('weather.temperatureCelsius', or a crew row's 'trade', 'headcount' or 'hours') and,
 * for a crew row, its index. Empty when there is none.
 */
export function problemsAt(fields) {
  const problems = [];
  const temperature = fields['weather.temperatureCelsius'];
  if (temperature !== null && temperature !== undefined
    && (typeof temperature !== 'number' || temperature < -90 || temperature > 70 || !hasDecimals(temperature, 1))) {
    problems.push({ key: 'report.temperatureRange', field: 'weather.temperatureCelsius' });
  }
  (fields.crew || []).forEach(({ trade, headcount, hours }, row) => {
    if (!trade || !trade.trim()) {
      problems.push({ key: 'report.crew.tradeMissing', field: 'trade', row });
    }
    if (!Number.isInteger(headcount) || headcount < 0 || headcount > 10000) {
      problems.push({ key: 'report.headcountInvalid', field: 'headcount', row });
    }
    if (typeof hours !== 'number' || hours < 0 || hours >= 1e6 || !hasDecimals(hours, 2)) {
      problems.push({ key: 'report.hoursInvalid', field: 'hours', row });
    }
  });
  return problems;
}

function hasDecimals(number, most) {
  return Math.abs(Math.round(number * 10 ** most) - number * 10 ** most) < 1e-9;
}
