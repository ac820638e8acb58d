/**
 * A regular expression for the scheduled times the API accepts, for tools that cannot run the
 * custom `santiago-date-time` format (client-side validators, code generators): the OpenAPI
 * document puts it beside the format. It checks the forms, the years 1970 to 2100 and the calendar
 * (February 29th only in leap years); what it cannot know — the hour Santiago's clocks skip when
 * daylight saving time begins — only the server checks (functions/santiago-time.ts).
 */
// Years 1970 to 2100 (functions/santiago-time.ts, YEARS).
const YEAR = '(?:19[7-9]\\d|20\\d\\d|2100)';
// Divisible by 4 within YEARS; 2100 is not a leap year.
const LEAP_YEAR = '(?:19(?:[79][26]|8[048])|20(?:[02468][048]|[13579][26]))';
const MONTH_DAY =
  '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])' +
  '|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)' +
  '|02-(?:0[1-9]|1\\d|2[0-8]))';
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d';
const DATE = `(?:${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)`;
// The data set's form takes nothing after the seconds; ISO 8601 may add a fraction and an offset.
const ISO_SUFFIX = '(?:\\.\\d{1,9})?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)?';

/** The pattern, as the OpenAPI document's `pattern` (ECMA-262 syntax, anchored). */
export const SCHEDULED_TIME_PATTERN = `^${DATE}(?: ${TIME}|T${TIME}${ISO_SUFFIX})$`;
