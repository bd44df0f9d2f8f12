// Apache ECharts (from npm, loaded as the global `echarts`) with the portal's colours; disposed with the view.
const palette = ["#b3261e", "#1d5fa8", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#c2185b", "#455a64"];

export function chart(el) {
  const instance = echarts.init(el, null, { renderer: "canvas" });
  const resize = () => instance.resize();
  window.addEventListener("resize", resize);
  return {
    set: (option) => instance.setOption({ color: palette, textStyle: { fontFamily: "inherit" }, animationDuration: 300, ...option }),
    dispose: () => {
      window.removeEventListener("resize", resize);
      instance.dispose();
    },
  };
}

export const bars = (categories, series, { horizontal = false, stack = false } = {}) => ({
  tooltip: { trigger: "axis" },
  legend: { top: 0 },
  grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
  [horizontal ? "yAxis" : "xAxis"]: { type: "category", data: categories, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } },
  [horizontal ? "xAxis" : "yAxis"]: { type: "value", minInterval: 1 },
  series: series.map((s) => ({ type: "bar", stack: stack ? "total" : undefined, ...s })),
});
