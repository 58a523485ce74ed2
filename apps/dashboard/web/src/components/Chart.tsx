// Time series with uPlot: ~50 KB, canvas, fast at thousands of points, and no dependencies; the
// numbers it draws are also in the table beside it (screen readers and keyboard users read those).
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { bucketSeconds } from "../dates";

export interface Series {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
}

export function Chart({ title, buckets, series, width = 560 }: { title: string; buckets: readonly string[]; series: readonly Series[]; width?: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const opts: uPlot.Options = {
      title,
      width,
      height: 220,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2 }))],
      axes: [{}, { size: 60 }],
    };
    const data: uPlot.AlignedData = [buckets.map(bucketSeconds), ...series.map((s) => s.values.map((v) => v ?? null))];
    const plot = new uPlot(opts, data, el);
    return () => plot.destroy();
  }, [title, buckets, series, width]);
  return <div ref={host} className="chart" role="img" aria-label={`${title}: chart; the same figures are in the table below`} />;
}
