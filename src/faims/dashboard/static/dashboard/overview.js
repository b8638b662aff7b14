// Charts of the overview; the data come from the page (json_script), every element links to its projects.
(function () {
  "use strict";
  const node = document.getElementById("dashboard-data");
  if (!node || typeof echarts === "undefined") { return; }
  const data = JSON.parse(node.textContent);
  const L = data.labels;

  // urlOf(params) is the page a click on an element opens (rows[dataIndex].url when given an array).
  function chart(id, option, urlOf) {
    const element = document.getElementById(id);
    if (!element) { return null; }
    const instance = echarts.init(element);
    instance.setOption(option);
    const find = Array.isArray(urlOf) ? function (params) {
      const row = urlOf[params.dataIndex];
      return row && row.url;
    } : urlOf;
    instance.on("click", function (params) {
      const url = find(params);
      if (url) { window.location.href = url; }
    });
    window.addEventListener("resize", function () { instance.resize(); });
    return instance;
  }

  const monthlySeries = [
    {name: L.ytd, type: "bar", data: data.monthly.map(r => r.ytd), cursor: "pointer"},
    {name: L.plan, type: "line", data: data.monthly.map(r => r.plan)},
  ];
  const monthlyLegend = [L.ytd, L.plan];
  const forecast = data.forecast;
  if (forecast) {
    // A dashed line from the last reported month to the projected December figure.
    const last = data.monthly.findIndex(r => r.ytd === null) - 1;
    const points = data.monthly.map(() => null);
    if (last >= 0 && forecast.from !== null) { points[last] = forecast.from; }
    points[points.length - 1] = {value: forecast.value, symbolSize: 10};
    monthlySeries.push({name: L.forecast, type: "line", data: points, connectNulls: true, cursor: "pointer",
                        lineStyle: {type: "dashed"}, symbol: "circle",
                        label: {show: true, position: "top", formatter: p => (p.dataIndex === points.length - 1 ? p.value : "")}});
    monthlyLegend.push(L.forecast);
  }
  chart("chart-monthly", {
    tooltip: {trigger: "axis"},
    legend: {top: 0, data: monthlyLegend},
    grid: {top: 40, left: 50, right: 20, bottom: 30},
    xAxis: {type: "category", data: data.monthly.map(r => r.label)},
    yAxis: {type: "value"},
    series: monthlySeries,
  }, function (params) {
    if (params.seriesName === L.forecast) { return forecast.url; }
    const row = data.monthly[params.dataIndex];
    return row && row.url;
  });

  const regions = data.regions.slice().reverse();
  chart("chart-regions", {
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    grid: {left: 90, right: 40, bottom: 30},
    xAxis: {type: "value", axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", data: regions.map(r => r.label)},
    series: [{
      name: L.rate, type: "bar", data: regions.map(r => r.rate), cursor: "pointer",
      label: {show: true, position: "right", formatter: "{c}%"},
      markLine: {symbol: "none", data: [{xAxis: data.time_progress, name: L.time}],
                 label: {formatter: L.time + " {c}%"}},
    }],
  }, regions);

  chart("chart-libraries", {
    tooltip: {trigger: "axis"},
    legend: {top: 0, data: [L.start, L.h1, L.q3]},
    grid: {top: 40, left: 50, right: 20, bottom: 90},
    xAxis: {type: "category", data: data.libraries.map(r => r.label), axisLabel: {interval: 0, rotate: 20}},
    yAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
    series: [
      {name: L.start, type: "bar", data: data.libraries.map(r => r.rate), cursor: "pointer",
       label: {show: true, position: "top", formatter: "{c}%"}},
      {name: L.h1, type: "scatter", symbol: "diamond", data: data.libraries.map(r => r.h1)},
      {name: L.q3, type: "scatter", symbol: "triangle", data: data.libraries.map(r => r.q3)},
    ],
  }, data.libraries);

  // The five rates: horizontal bars on one 0–100% axis. Each rate has its own cohort, so a funnel (whose
  // narrowing reads as projects lost from one stage to the next) would mislead.
  const rates = data.funnel.slice().reverse();
  function part(label, count) {
    return label + "：" + count + " " + L.projects;
  }
  chart("chart-funnel", {
    tooltip: {
      trigger: "item",
      formatter: function (params) {
        const r = rates[params.dataIndex];
        const head = "<b>" + r.label + "</b> " + r.display + "<br>";
        if (r.cohort_label) { return head + part(r.cohort_label, r.numerator); }
        return head + part(r.numerator_label, r.numerator) + "<br>" + part(r.denominator_label, r.denominator);
      },
    },
    grid: {left: 130, right: 60, top: 10, bottom: 30},
    xAxis: {type: "value", min: 0, max: v => Math.max(100, v.max), axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", data: rates.map(r => r.label)},
    series: [{
      type: "bar", cursor: "pointer",
      data: rates.map(r => ({value: r.rate === null ? 0 : r.rate,
                             label: {show: true, position: "right", formatter: r.display}})),
    }],
  }, rates);

  // The district map, coloured by the KPI the select names; regions it does not draw are listed beside it.
  const map = data.map;
  const select = document.getElementById("map-key");
  const outsideList = document.getElementById("map-outside");
  let mapChart = null;
  function drawMap() {
    const key = select.value;
    const unit = map.keys.find(k => k.key === key).unit;
    const figures = map.inside.map(r => r.values[key]).concat(map.outside.map(r => r.values[key]))
      .filter(v => v !== null);
    // The colours span the figures shown; when they are all equal, from 0 to that figure.
    let low = figures.length ? Math.min(...figures) : 0;
    let high = figures.length ? Math.max(...figures) : 0;
    if (low === high) { low = Math.min(0, low); high = high > low ? high : low + 1; }
    const option = {
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          const r = params.data;
          return r ? params.name + "<br>" + select.selectedOptions[0].text + "：" + r.displays[key] : params.name;
        },
      },
      visualMap: {min: low, max: high, left: 0, bottom: 0, text: [high + unit, low + unit],
                  inRange: {color: ["#fde0c5", "#2c7bb6"]}},
      series: [{
        type: "map", map: map.name, roam: false, selectedMode: false, cursor: "pointer",
        itemStyle: {areaColor: "#e9ecef"},
        label: {show: true, fontSize: 10, textBorderColor: "#fff", textBorderWidth: 2},
        data: map.inside.map(r => ({name: r.name, value: r.values[key] === null ? NaN : r.values[key],
                                    url: r.url, displays: r.displays})),
      }],
    };
    if (mapChart === null) {
      mapChart = chart("chart-map", option, params => params.data && params.data.url);
    } else {
      mapChart.setOption(option, {replaceMerge: ["series"]});
    }
    outsideList.replaceChildren(...map.outside.map(function (r) {
      const item = document.createElement("li");
      const name = document.createElement("a");
      name.href = r.url;
      name.textContent = r.name;
      const value = document.createElement("a");
      value.href = r.drilldowns[key];
      value.textContent = r.displays[key];
      value.dataset.testid = "map-outside-value";
      item.append(name, "：", value);
      return item;
    }));
  }
  if (select && typeof echarts.getMap === "function" && echarts.getMap(map.name)) {
    select.addEventListener("change", drawMap);
    drawMap();
  }
})();
