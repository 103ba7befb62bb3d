/* ecozone dashboard charts: the province map and the national time series (Apache ECharts).
   Texts come from data-* attributes rendered by the server in the page's language. */
(function () {
  "use strict";

  function numberFormat(lang, decimals) {
    return new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", {
      minimumFractionDigits: decimals || 0,
      maximumFractionDigits: decimals || 0
    });
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error(url + " " + response.status); }
      return response.json();
    });
  }

  function drawMap(element) {
    var lang = element.dataset.lang;
    var format = numberFormat(lang, 0);
    Promise.all([getJson(element.dataset.geojsonUrl), getJson(element.dataset.valuesUrl)]).then(function (results) {
      var geojson = results[0];
      var values = results[1];
      echarts.registerMap("provinces", geojson);
      var data = Object.keys(values.names).map(function (code) {
        return { name: code, value: values.values[code] === undefined ? null : values.values[code], label: values.names[code] };
      });
      var maximum = Math.max.apply(null, data.map(function (d) { return d.value || 0; }).concat([1]));
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        tooltip: {
          trigger: "item",
          formatter: function (item) {
            var name = item.data ? item.data.label : item.name;
            var value = item.data && item.data.value !== null ? format.format(item.data.value) : element.dataset.noData;
            return echarts.format.encodeHTML(name) + ": " + echarts.format.encodeHTML(value);
          }
        },
        visualMap: { min: 0, max: maximum, calculable: false, left: "left", bottom: 10, text: [format.format(maximum), "0"],
                     inRange: { color: ["#e6f2ee", "#0b6e4f"] } },
        series: [{ type: "map", map: "provinces", nameProperty: "code", name: element.dataset.seriesName,
                   roam: true, layoutCenter: ["50%", "50%"], layoutSize: "95%",
                   data: data, emphasis: { label: { show: false } } }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () { element.textContent = element.dataset.noData; });
  }

  function drawSeries(element) {
    var lang = element.dataset.lang;
    var whole = numberFormat(lang, 0);
    var decimal = numberFormat(lang, 1);
    getJson(element.dataset.url).then(function (document) {
      var rows = document.national.filter(function (row) { return row.dated; });
      function series(field) {
        return rows.filter(function (row) { return row[field] !== null; }).map(function (row) { return [row.period, row[field]]; });
      }
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        color: ["#0b6e4f", "#1f5fa8", "#a4161a"],
        tooltip: { trigger: "axis", valueFormatter: function (value) { return value === null ? "" : decimal.format(value); } },
        legend: { top: 0 },
        grid: { left: 56, right: 56, top: 48, bottom: 32 },
        xAxis: { type: "time" },
        yAxis: [
          { type: "value", name: element.dataset.axisParks, axisLabel: { formatter: function (v) { return whole.format(v); } } },
          { type: "value", name: element.dataset.axisPercent, min: 0, max: 100, axisLabel: { formatter: function (v) { return whole.format(v); } } }
        ],
        series: [
          { type: "line", name: element.dataset.labelEstablished, data: series("ips_established"), symbolSize: 8 },
          { type: "line", name: element.dataset.labelOperating, data: series("ips_operating"), symbolSize: 8 },
          { type: "line", name: element.dataset.labelOccupancy, yAxisIndex: 1, data: series("occupancy_operating_pct"), symbolSize: 8 }
        ]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () { element.textContent = ""; });
  }


  /* A bar chart from a JSON data attribute: {"labels": [...], "values": [...], "unit": "..."} (GHG by scope). */
  function drawBars(element) {
    var data = JSON.parse(element.dataset.chart);
    var format = numberFormat(element.dataset.lang, 2);
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      color: ["#0b6e4f"],
      tooltip: { trigger: "axis", valueFormatter: function (value) { return value === null ? "" : format.format(value) + " " + data.unit; } },
      grid: { left: 64, right: 16, top: 40, bottom: 72, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, overflow: "break", width: 110 } },
      yAxis: { type: "value", name: element.dataset.axis, axisLabel: { formatter: function (v) { return format.format(v); } } },
      series: [{ type: "bar", data: data.values, barMaxWidth: 56,
                 label: { show: true, position: "top", formatter: function (item) { return item.value === null ? "" : format.format(item.value); } } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  /* Ranked parks as points over the province boundaries (no tile server): data-points is
     [{"name": ..., "rank": n, "value": [longitude, latitude]}]. */
  function drawPoints(element) {
    var points = JSON.parse(element.dataset.points);
    getJson(element.dataset.geojsonUrl).then(function (geojson) {
      echarts.registerMap("provinces", geojson);
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        tooltip: {
          trigger: "item",
          formatter: function (item) {
            if (!item.data || item.data.rank === undefined) { return ""; }
            return "#" + item.data.rank + " " + echarts.format.encodeHTML(item.data.name);
          }
        },
        geo: { map: "provinces", nameProperty: "code", roam: true, layoutCenter: ["50%", "50%"], layoutSize: "95%",
               itemStyle: { areaColor: "#e6f2ee", borderColor: "#8cc7ad" }, emphasis: { disabled: true } },
        series: [{ type: "scatter", coordinateSystem: "geo", name: element.dataset.seriesName, data: points,
                   symbolSize: function (value, item) { return Math.max(8, 22 - 2 * (item.data.rank - 1)); },
                   itemStyle: { color: "#a4161a" },
                   label: { show: true, position: "right", formatter: function (item) { return "#" + item.data.rank; } } }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () { element.textContent = element.dataset.noData; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    var map = document.getElementById("province-map");
    if (map) { drawMap(map); }
    var series = document.getElementById("national-series");
    if (series) { drawSeries(series); }
    var bars = document.getElementById("ghg-chart");
    if (bars) { drawBars(bars); }
    var points = document.getElementById("match-map");
    if (points) { drawPoints(points); }
  });
})();

/* Savings of a meter: observed versus counterfactual energy per period, from each .savings-chart element's
   data-chart JSON {"labels": [...], "observed": [...], "counterfactual": [...], "names": [observed, counterfactual], "unit": "kWh"}. */
(function () {
  "use strict";

  function drawSavings(element) {
    var data = JSON.parse(element.dataset.chart);
    var format = new Intl.NumberFormat(element.dataset.lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 });
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      color: ["#0b6e4f", "#a4161a"],
      tooltip: { trigger: "axis", valueFormatter: function (value) { return value === null ? "" : format.format(value) + " " + data.unit; } },
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", name: element.dataset.axis, axisLabel: { formatter: function (v) { return format.format(v); } } },
      series: [
        { type: "line", name: data.names[0], data: data.observed, showSymbol: false },
        { type: "line", name: data.names[1], data: data.counterfactual, showSymbol: false, lineStyle: { type: "dashed" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".savings-chart[data-chart]"), drawSavings);
  });
})();
