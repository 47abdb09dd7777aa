/**
 * Every body Kaizen writes to GitHub, rendered from the fixtures: what the structure test parses
 * and what scripts/render-report.ts screenshots.
 */
import { renderReport } from "../../../src/render/report/index.js";
import { editInput, noShipInput, notEnoughDataInput, shipInput, untrustedInput } from "./fixtures.js";

export interface RenderedBody {
  name: string;
  markdown: string;
}

export function renderedBodies(): RenderedBody[] {
  return [
    { name: "report-ship", markdown: renderReport(shipInput()) },
    { name: "report-no-ship", markdown: renderReport(noShipInput()) },
    { name: "report-edit", markdown: renderReport(editInput()) },
    { name: "report-untrusted", markdown: renderReport(untrustedInput()) },
    { name: "report-no-data", markdown: renderReport(notEnoughDataInput()) },
  ];
}
