// Charts of the city overview; the data come from the page (json_script), every element links to its projects.
(function () {
  "use strict";
  const node = document.getElementById("dashboard-data");
  if (!node || typeof echarts === "undefined") { return; }
  const data = JSON.parse(node.textContent);
  const L = data.labels;

  function chart(id, option, rows) {
    const element = document.getElementById(id);
    if (!element) { return; }
    const instance = echarts.init(element);
    instance.setOption(option);
    instance.on("click", function (params) {
      const row = rows[params.dataIndex];
      if (row && row.url) { window.location.href = row.url; }
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }

  chart("chart-monthly", {
    tooltip: {trigger: "axis"},
    legend: {top: 0, data: [L.ytd, L.plan]},
    grid: {top: 40, left: 50, right: 20, bottom: 30},
    xAxis: {type: "category", data: data.monthly.map(r => r.label)},
    yAxis: {type: "value"},
    series: [
      {name: L.ytd, type: "bar", data: data.monthly.map(r => r.ytd), cursor: "pointer"},
      {name: L.plan, type: "line", data: data.monthly.map(r => r.plan)},
    ],
  }, data.monthly);

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
})();
