// Vigil's KPI page. Reads kpi/history (the /kpi document, what the page adds, and an hour of
// samples) every few seconds and draws it. Every value that comes from the service is put on the
// page with textContent or as chart data, never as HTML: label values are whatever the service
// was given, and must show as text.
(function () {
  'use strict';

  var WINDOW_SECONDS = 60; // rates and ratios in charts are over the last minute
  var COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2'];
  var OTHER_COLOR = '#94a3b8';

  var counts = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
  var decimals1 = new Intl.NumberFormat('en-US', {minimumFractionDigits: 1, maximumFractionDigits: 1});
  var decimals2 = new Intl.NumberFormat('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
  var compact = new Intl.NumberFormat('en-US', {notation: 'compact', maximumSignificantDigits: 3});
  var moneyFormats = {};

  var timer = null;
  var charts = {};

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (cls) {
      e.className = cls;
    }
    return e;
  }

  function num(v) {
    return typeof v === 'number' && isFinite(v);
  }

  function fmtCount(v) {
    return num(v) ? counts.format(v) : '–';
  }

  function fmtPercent(ratio) {
    return num(ratio) ? decimals1.format(ratio * 100) + '%' : '–';
  }

  function fmtSeconds(s) {
    if (!num(s)) {
      return '–';
    }
    if (s < 1) {
      return counts.format(s * 1000) + ' ms';
    }
    return (s < 10 ? decimals2 : decimals1).format(s) + ' s';
  }

  function fmtMoney(amount, currency, fine) {
    if (!num(amount)) {
      return '–';
    }
    var key = currency + (fine ? '/fine' : '');
    if (!(key in moneyFormats)) {
      try {
        var options = {style: 'currency', currency: currency, currencyDisplay: 'code'};
        if (fine) {
          options.minimumFractionDigits = 2;
          options.maximumFractionDigits = 4;
        }
        moneyFormats[key] = new Intl.NumberFormat('en-US', options);
      } catch (e) {
        moneyFormats[key] = null; // not an ISO 4217 code: show the code as it is
      }
    }
    var f = moneyFormats[key];
    return f ? f.format(amount).replace(/\u00a0/g, ' ') : currency + ' ' + decimals2.format(amount);
  }

  function fmtUsd(amount) {
    return fmtMoney(amount, 'USD', true);
  }

  function fmtTime(ms) {
    return new Date(ms).toLocaleTimeString();
  }

  function setStatus(text, state) {
    $('status').textContent = text;
    $('status-dot').className = 'dot ' + state;
  }

  function schedule() {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    var seconds = Number($('refresh').value);
    if (seconds > 0) {
      timer = setTimeout(load, seconds * 1000);
    }
  }

  function load() {
    timer = null;
    if (document.hidden) {
      schedule();
      return;
    }
    // A guarded service admits the page by its session cookie (set at sign-in, HttpOnly): the
    // script never sees the token.
    fetch('kpi/history', {
      headers: {Accept: 'application/json'},
      cache: 'no-store',
      credentials: 'same-origin'
    })
      .then(function (response) {
        if (response.status === 401) {
          // The session ended (the token changed): the service answers / with its sign-in form.
          location.reload();
          return null;
        }
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(function (doc) {
        if (doc) {
          render(doc);
          setStatus('Live · updated ' + fmtTime(doc.time), 'live');
          schedule();
        }
      })
      .catch(function () {
        setStatus('Cannot reach the service; retrying', 'down');
        schedule();
      });
  }

  $('refresh').addEventListener('change', function () {
    if ($('refresh').value !== '0') {
      load();
    } else {
      schedule();
    }
  });

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && timer === null && $('refresh').value !== '0') {
      load();
    }
  });

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) {
      var c = charts[id];
      c.plot.setSize({width: chartWidth(c.box), height: c.plot.height});
    });
  });

  function at(obj, path) {
    var parts = path.split('.');
    for (var i = 0; i < parts.length && obj !== null && obj !== undefined; i++) {
      obj = obj[parts[i]];
    }
    return obj;
  }

  function entries(obj) {
    return obj ? Object.keys(obj).map(function (k) { return [k, obj[k]]; }) : [];
  }

  /** Per sample, the change since the previous one, or null where it is not known. */
  function deltas(values, valid) {
    var out = new Array(values.length).fill(null);
    for (var i = 1; i < values.length; i++) {
      if (num(values[i]) && num(values[i - 1]) && (!valid || valid(i))) {
        out[i] = Math.max(0, values[i] - values[i - 1]);
      }
    }
    return out;
  }

  /** The sum of the known changes in the minute up to each sample, and the seconds they cover. */
  function windowed(times, d) {
    var sums = new Array(times.length).fill(null);
    var spans = new Array(times.length).fill(null);
    for (var i = 0; i < times.length; i++) {
      var sum = 0;
      var span = 0;
      for (var k = i; k > 0 && times[i] - times[k - 1] <= WINDOW_SECONDS + 0.5; k--) {
        if (d[k] !== null) {
          sum += d[k];
          span += times[k] - times[k - 1];
        }
      }
      if (span > 0) {
        sums[i] = sum;
        spans[i] = span;
      }
    }
    return {sums: sums, spans: spans};
  }

  /** A counter's rate over the last minute, per 'per' seconds. */
  function rate(times, values, per, valid) {
    var w = windowed(times, deltas(values, valid));
    return w.sums.map(function (s, i) { return s === null ? null : s / w.spans[i] * per; });
  }

  /** part / (part + rest) over the last minute, in percent; null without events. */
  function ratio(times, part, rest, valid) {
    var p = windowed(times, deltas(part, valid)).sums;
    var r = windowed(times, deltas(rest, valid)).sums;
    return p.map(function (v, i) {
      return v === null || r[i] === null || v + r[i] === 0 ? null : v / (v + r[i]) * 100;
    });
  }

  /**
   * A grouping's "other" changes only count between samples that kept the same named values:
   * otherwise a value moved between a name and "other", and the difference means nothing.
   */
  function sameNames(group) {
    var first = group[Object.keys(group).find(function (k) { return k !== 'names' && k !== 'other'; })];
    return function (i) {
      for (var c = 0; c < first.length; c++) {
        if ((first[c][i] === null) !== (first[c][i - 1] === null)) {
          return false;
        }
      }
      return true;
    };
  }

  function kept(values) {
    return function (i) { return values[i] !== null && values[i - 1] !== null; };
  }

  function hasPoints(series) {
    return series.some(function (s) { return s.values.some(num); });
  }

  function chartWidth(box) {
    return Math.max(280, box.clientWidth || box.parentNode.clientWidth || 400);
  }

  /**
   * Draws (or redraws) one chart: a title, the unit on the y axis, one line per series. A chart
   * with nothing to draw is replaced by "no data yet".
   */
  function chart(id, title, unit, times, series, format, opts) {
    var box = $(id);
    opts = opts || {};
    var points = series.reduce(function (n, s) { return n + s.values.filter(num).length; }, 0);
    box.dataset.points = String(points);
    if (!box.firstChild) {
      box.appendChild(el('h3', title));
      box.appendChild(el('div', null, 'plot'));
      box.appendChild(el('p', 'No data yet: the first points appear after a sample or two (every 10 s).', 'no-data'));
    }
    var plotBox = box.querySelector('.plot');
    var noData = box.querySelector('.no-data');
    var key = series.map(function (s) { return s.label; }).join('\u0000');
    if (points === 0) {
      noData.hidden = false;
      plotBox.hidden = true;
      return;
    }
    noData.hidden = true;
    plotBox.hidden = false;
    var data = [times].concat(series.map(function (s) { return s.values; }));
    var existing = charts[id];
    if (existing && existing.key === key) {
      existing.plot.setData(data);
      return;
    }
    if (existing) {
      existing.plot.destroy();
    }
    var axisColor = getComputedStyle(document.body).getPropertyValue('--muted').trim() || '#64748b';
    var gridColor = getComputedStyle(document.body).getPropertyValue('--grid').trim() || '#e2e8f0';
    var plot = new uPlot({
      width: chartWidth(plotBox),
      height: 190,
      scales: {
        x: {time: true},
        y: {range: function (u, min, max) {
          if (opts.percent) {
            return [0, 100];
          }
          if (opts.share) {
            return [0, Math.min(100, Math.max(5, max * 1.2))];
          }
          return [0, max > 0 ? max * 1.1 : 1];
        }}
      },
      axes: [
        {stroke: axisColor, grid: {stroke: gridColor, width: 1}, ticks: {stroke: gridColor}},
        {
          stroke: axisColor,
          label: unit,
          labelSize: 18,
          size: 60,
          grid: {stroke: gridColor, width: 1},
          ticks: {stroke: gridColor},
          values: function (u, splits) { return splits.map(function (v) { return format(v, true); }); }
        }
      ],
      series: [{value: function (u, v) { return v === null ? '–' : fmtTime(v * 1000); }}].concat(
        series.map(function (s, i) {
          return {
            label: s.label,
            stroke: s.color || COLORS[i % COLORS.length],
            width: 2,
            points: {size: 5},
            value: function (u, v) { return v === null ? '–' : format(v, false); }
          };
        })),
      legend: {live: true},
      cursor: {drag: {x: true, y: false}}
    }, data, plotBox);
    charts[id] = {plot: plot, key: key, box: plotBox};
  }

  function compactFormat(unitSuffix) {
    return function (v, axis) {
      return (axis ? compact.format(v) : decimals2.format(v)) + (unitSuffix || '');
    };
  }

  function percentFormat(v, axis) {
    return (axis ? counts.format(v) : decimals1.format(v)) + '%';
  }

  function usdFormat(v, axis) {
    return axis ? compact.format(v) : fmtUsd(v);
  }

  function secondsFormat(v, axis) {
    return axis ? compact.format(v) : fmtSeconds(v);
  }

  /**
   * Series for each named value of a grouping and its "other", through 'make'. Where a sample
   * did not keep a name but its "other" is zero, every label value then was kept, so that name's
   * count was zero: filling it in lets a new model or queue start its line at once.
   */
  function groupSeries(group, field, make) {
    var out = [];
    var other = group.other ? group.other[field] : null;
    (group.names || []).forEach(function (name, c) {
      var values = group[field][c];
      if (other) {
        values = values.map(function (v, i) { return v === null && other[i] === 0 ? 0 : v; });
      }
      out.push({label: name, values: make(values, kept(values))});
    });
    if (other && other.some(function (v) { return num(v) && v > 0; })) {
      out.push({label: 'other', color: OTHER_COLOR, values: make(other, sameNames(group))});
    }
    return out.filter(function (s) { return s.values.some(num); });
  }

  function setValue(node, value, text) {
    node.textContent = text;
    node.dataset.value = value === null || value === undefined ? '' : String(value);
  }

  function fillTable(id, rows) {
    var body = $(id).querySelector('tbody');
    while (body.firstChild) {
      body.removeChild(body.firstChild);
    }
    rows.forEach(function (cells) {
      var tr = document.createElement('tr');
      cells.forEach(function (c) {
        if (c instanceof Node) {
          var td = document.createElement('td');
          td.appendChild(c);
          tr.appendChild(td);
        } else {
          tr.appendChild(el('td', c));
        }
      });
      body.appendChild(tr);
    });
    $(id).hidden = rows.length === 0;
  }

  function section(id, hasData) {
    var s = $(id);
    s.classList.toggle('empty', !hasData);
    s.querySelector('.empty-note').hidden = hasData;
    s.querySelector('.body').hidden = !hasData;
  }

  function topRows(counted, total) {
    var rows = counted.top.map(function (t) {
      return [t.name, fmtCount(t.count), fmtPercent(total > 0 ? t.count / total : null)];
    });
    if (counted.other > 0) {
      rows.push(['other', fmtCount(counted.other), fmtPercent(total > 0 ? counted.other / total : null)]);
    }
    return rows;
  }

  function render(doc) {
    $('main').hidden = false;
    $('service').textContent = doc.service;
    document.title = doc.service + ' · Vigil';
    $('environment').textContent = doc.environment;
    $('environment').hidden = !doc.environment;
    var kpi = doc.kpi;
    document.querySelectorAll('[data-kpi]').forEach(function (node) {
      var path = node.dataset.kpi;
      var v = at(kpi, path);
      var text;
      if (/Rate$/.test(path)) {
        text = fmtPercent(v);
      } else if (/costUsd$/.test(path)) {
        text = fmtUsd(v);
      } else {
        text = fmtCount(v);
      }
      setValue(node, v, text);
    });
    var times = doc.history.time.map(function (ms) { return ms / 1000; });
    var h = doc.history;
    users(doc, times, h);
    generation(doc, times, h);
    tokens(doc, times, h);
    payments(doc, times, h);
    queues(doc, times, h);
    http(doc, times, h);
    alerts(doc);
    spenders(doc);
  }

  function users(doc, times, h) {
    var kpi = doc.kpi.activeUsers;
    var box = $('distinct-tiles');
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    entries(kpi.distinct).forEach(function (w) {
      var tile = el('div', null, 'tile');
      tile.appendChild(el('span', 'Distinct users · last ' + w[0], 'label'));
      var v = el('span', null, 'value');
      v.dataset.kpi = 'activeUsers.distinct.' + w[0];
      setValue(v, w[1], fmtCount(w[1]));
      tile.appendChild(v);
      box.appendChild(tile);
    });
    section('users', kpi.interactions > 0);
    chart('chart-interactions', 'Interactions per minute', 'per minute', times,
      [{label: 'interactions', values: rate(times, h.series.interactions, 60)}], compactFormat());
    chart('chart-distinct', 'Distinct users', 'users', times,
      entries(h.distinct).map(function (w) { return {label: 'last ' + w[0], values: w[1]}; }),
      compactFormat());
  }

  function generation(doc, times, h) {
    var g = doc.kpi.generation;
    section('generation', g.success + g.failure > 0);
    var recent = ratio(times, h.series.generationSuccess, h.series.generationFailure);
    var lastRate = recent.length ? recent[recent.length - 1] : null;
    $('generation-recent').textContent = num(lastRate) ? 'last minute: ' + decimals1.format(lastRate) + '%' : '';
    var rateSeries = [{label: 'all types', values: recent}];
    var types = h.generationByType;
    (types.names || []).forEach(function (name, c) {
      rateSeries.push({label: name, values: ratio(times, types.success[c], types.failure[c], kept(types.success[c]))});
    });
    chart('chart-generation-rate', 'Success rate per minute', '% succeeded', times,
      rateSeries.filter(function (s) { return s.values.some(num); }), percentFormat, {percent: true});
    var byType = entries(g.byType).sort(function (a, b) {
      return (b[1].success + b[1].failure) - (a[1].success + a[1].failure) || (a[0] < b[0] ? -1 : 1);
    });
    fillTable('generation-types', byType.slice(0, 10).map(function (t) {
      return [t[0], fmtCount(t[1].success), fmtCount(t[1].failure), fmtPercent(t[1].successRate)];
    }));
    fillTable('generation-errors', topRows(doc.now.generationFailuresByError, g.failure));
  }

  function tokens(doc, times, h) {
    var t = doc.kpi.tokens;
    section('tokens', t.total > 0);
    $('pricing-as-of').textContent = t.pricingAsOf ? 'prices as of ' + t.pricingAsOf : 'pricing table undated';
    var costPerHour = rate(times, h.series.costUsd, 3600);
    var lastCost = costPerHour.length ? costPerHour[costPerHour.length - 1] : null;
    $('tokens-recent').textContent = num(lastCost) ? 'last minute: ' + fmtUsd(lastCost) + ' per hour' : '';
    var models = h.tokensByModel;
    chart('chart-tokens', 'Tokens per hour, by model', 'tokens / hour', times,
      groupSeries(models, 'tokens', function (v, valid) { return rate(times, v, 3600, valid); }),
      compactFormat());
    chart('chart-cost', 'Cost per hour, by model', 'USD / hour', times,
      groupSeries(models, 'costUsd', function (v, valid) { return rate(times, v, 3600, valid); }),
      usdFormat);
    var rows = entries(t.byModel).sort(function (a, b) { return b[1].tokens - a[1].tokens; });
    fillTable('token-models', rows.slice(0, 10).map(function (m) {
      return [m[0], fmtCount(m[1].tokens), fmtUsd(m[1].costUsd), fmtCount(m[1].unpricedTokens)];
    }));
  }

  function payments(doc, times, h) {
    var p = doc.kpi.payments;
    section('payments', p.conversions + p.failures > 0);
    var recent = ratio(times, h.series.paymentConversions, h.series.paymentFailures);
    var lastRate = recent.length ? recent[recent.length - 1] : null;
    $('payments-recent').textContent = num(lastRate) ? 'last minute: ' + decimals1.format(lastRate) + '%' : '';
    chart('chart-payments', 'Payments per minute', 'per minute', times, [
      {label: 'conversions', values: rate(times, h.series.paymentConversions, 60)},
      {label: 'failures', color: '#dc2626', values: rate(times, h.series.paymentFailures, 60)}
    ], compactFormat());
    chart('chart-conversion-rate', 'Conversion rate per minute', '% converted', times,
      [{label: 'conversion rate', values: recent}], percentFormat, {percent: true});
    var box = $('revenue-tiles');
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    entries(doc.kpi.revenue.byCurrency).forEach(function (c) {
      var tile = el('div', null, 'tile');
      tile.appendChild(el('span', 'Revenue since start · ' + c[0], 'label'));
      var v = el('span', null, 'value');
      v.dataset.kpi = 'revenue.byCurrency.' + c[0];
      setValue(v, c[1], fmtMoney(c[1], c[0], false));
      tile.appendChild(v);
      box.appendChild(tile);
    });
    fillTable('revenue-plans', entries(doc.kpi.revenue.byPlan).map(function (plan) {
      return [plan[0], entries(plan[1]).map(function (c) { return fmtMoney(c[1], c[0], false); }).join(' · ')];
    }));
    fillTable('payment-reasons', topRows(doc.now.paymentFailuresByReason, p.failures));
  }

  function queues(doc, times, h) {
    var qs = doc.now.queues;
    section('queues', qs.length > 0);
    var g = h.queues;
    chart('chart-queue-p95', 'Job duration P95, per 10 s', 'seconds', times,
      groupSeries(g, 'p95Seconds', function (v) { return v; }), secondsFormat);
    chart('chart-queue-active', 'Active jobs', 'jobs', times,
      groupSeries(g, 'active', function (v) { return v; }), compactFormat());
    chart('chart-queue-jobs', 'Jobs finished per minute', 'per minute', times,
      groupSeries(g, 'jobs', function (v, valid) { return rate(times, v, 60, valid); }), compactFormat());
    var kpiQueues = doc.kpi.queues || {};
    fillTable('queue-table', qs.map(function (q) {
      var p95 = kpiQueues[q.name] ? kpiQueues[q.name].p95Seconds : q.p95Seconds;
      var cell = el('span', fmtSeconds(p95));
      cell.dataset.value = p95 === null || p95 === undefined ? '' : String(p95);
      cell.dataset.kpi = 'queues.' + q.name + '.p95Seconds';
      return [q.name, fmtCount(q.jobs), fmtCount(q.active), fmtCount(q.failures), fmtSeconds(q.p50Seconds), cell];
    }));
    var f = doc.now.queueFailures;
    var rows = f.top.map(function (t) { return [t.name, t.detail, fmtCount(t.count)]; });
    if (f.other > 0) {
      rows.push(['other', '', fmtCount(f.other)]);
    }
    fillTable('queue-failures', rows);
  }

  function http(doc, times, h) {
    var n = doc.now.http;
    section('http', n.requests > 0);
    var perSecond = rate(times, h.series.httpRequests, 1);
    var lastRate = perSecond.length ? perSecond[perSecond.length - 1] : null;
    setValue($('http-rate'), lastRate, num(lastRate) ? decimals2.format(lastRate) : '–');
    document.querySelectorAll('[data-now]').forEach(function (node) {
      var v = at(doc.now, node.dataset.now);
      var text = fmtCount(v);
      if (node.dataset.format === 'share' && n.requests > 0) {
        text += ' (' + fmtPercent(v / n.requests) + ')';
      }
      setValue(node, v, text);
    });
    $('http-latency').textContent = fmtSeconds(n.p95Seconds) + ' / ' + fmtSeconds(n.p99Seconds);
    chart('chart-http-rate', 'Requests per second', 'requests / s', times,
      [{label: 'requests', values: perSecond}], compactFormat());
    var requests = h.series.httpRequests;
    chart('chart-http-errors', 'Error rate per minute', '% of requests', times, [
      {label: '4xx', color: '#d97706', values: ratio(times, h.series.httpClientErrors, minus(requests, h.series.httpClientErrors))},
      {label: '5xx', color: '#dc2626', values: ratio(times, h.series.httpServerErrors, minus(requests, h.series.httpServerErrors))}
    ].filter(function (s) { return s.values.some(num); }), percentFormat, {share: true});
    chart('chart-http-latency', 'Latency P95 and P99, per 10 s', 'seconds', times, [
      {label: 'P95', values: h.series.httpP95Seconds},
      {label: 'P99', color: '#7c3aed', values: h.series.httpP99Seconds}
    ].filter(function (s) { return s.values.some(num); }), secondsFormat);
    fillTable('http-routes', doc.now.routes.map(function (r) {
      return [r.method, r.route, fmtCount(r.requests), fmtCount(r.clientErrors), fmtCount(r.serverErrors), fmtSeconds(r.p95Seconds)];
    }));
  }

  function minus(a, b) {
    return a.map(function (v, i) { return num(v) && num(b[i]) ? v - b[i] : null; });
  }

  function outcomeChip(o) {
    var chip = el('span', o.channel + ': ' + o.outcome + (o.reason ? ' (' + o.reason + ')' : ''), 'chip ' + o.outcome);
    return chip;
  }

  function alerts(doc) {
    var a = doc.alerts;
    $('errors-total').textContent = fmtCount(doc.now.errors.total);
    fillTable('error-types', doc.now.errors.top.map(function (t) { return [t.name, fmtCount(t.count)]; }));
    var s = $('alerts');
    s.querySelector('.empty-note').hidden = a.enabled;
    fillTable('alert-channels', a.channels.map(function (c) {
      return [c.name, fmtCount(c.sent), fmtCount(c.failed), fmtCount(c.retried), fmtCount(c.dropped),
        fmtCount(c.suppressed), fmtCount(c.backlog), c.latest ? outcomeChip(c.latest) : el('span', 'nothing sent yet', 'muted')];
    }));
    var recent = $('alert-recent');
    fillTable('alert-recent', a.recent.map(function (r) {
      var chips = el('span', null, 'chips');
      r.channels.forEach(function (o) { chips.appendChild(outcomeChip(o)); });
      return [fmtTime(r.time), el('span', r.severity, 'severity ' + r.severity), r.type, r.message,
        fmtCount(r.occurrences), chips];
    }));
    if (a.recent.length === 0 && a.enabled) {
      recent.hidden = false;
      var body = recent.querySelector('tbody');
      var tr = document.createElement('tr');
      var td = el('td', 'No alerts raised since start.', 'muted');
      td.colSpan = 6;
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function spenders(doc) {
    var s = $('spenders');
    s.hidden = !doc.topSpenders;
    if (!doc.topSpenders) {
      return;
    }
    var box = $('spender-windows');
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    var any = false;
    entries(doc.kpi.topSpenders).forEach(function (w) {
      var spend = w[1];
      if (spend.byCostUsd.length === 0 && spend.byTokens.length === 0) {
        return;
      }
      any = true;
      var table = document.createElement('table');
      table.appendChild(el('caption', 'Last ' + w[0]));
      var head = document.createElement('thead');
      var hr = document.createElement('tr');
      ['user', 'cost', 'user', 'tokens'].forEach(function (t) { hr.appendChild(el('th', t)); });
      head.appendChild(hr);
      table.appendChild(head);
      var body = document.createElement('tbody');
      for (var i = 0; i < Math.max(spend.byCostUsd.length, spend.byTokens.length); i++) {
        var tr = document.createElement('tr');
        var c = spend.byCostUsd[i];
        var t = spend.byTokens[i];
        tr.appendChild(el('td', c ? c.userId : ''));
        tr.appendChild(el('td', c ? fmtUsd(c.costUsd) : ''));
        tr.appendChild(el('td', t ? t.userId : ''));
        tr.appendChild(el('td', t ? fmtCount(t.tokens) : ''));
        body.appendChild(tr);
      }
      table.appendChild(body);
      var foot = el('p', 'Estimates: at most ' + fmtUsd(spend.maxErrorCostUsd) + ' and ' +
        fmtCount(spend.maxErrorTokens) + ' tokens over.', 'muted');
      var wrap = el('div', null, 'spender');
      wrap.appendChild(table);
      wrap.appendChild(foot);
      box.appendChild(wrap);
    });
    s.querySelector('.empty-note').hidden = any;
    s.querySelector('.body').hidden = !any;
  }

  load();
})();
