// Parse a calendar with ical.js (Thunderbird's parser) and print one JSON line per event.
import fs from "node:fs";
import ICAL from "ical.js";

const text = fs.readFileSync(process.argv[2], "utf8");
const cal = new ICAL.Component(ICAL.parse(text));
for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
const out = cal.getAllSubcomponents("vevent").map((ve) => {
  const e = new ICAL.Event(ve);
  return {
    uid: e.uid,
    summary: e.summary,
    start: e.startDate.toString(),
    end: e.endDate.toString(),
    isDate: e.startDate.isDate,
    zone: e.startDate.isDate ? null : e.startDate.zone.tzid,
    utc: e.startDate.isDate ? null : e.startDate.toUnixTime(),
    url: ve.getFirstPropertyValue("url"),
    description: e.description,
  };
});
console.log(JSON.stringify({ name: cal.getFirstPropertyValue("x-wr-calname"), events: out }));
