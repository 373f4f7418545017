// The Insights page: figures by period and by store, terminal or cashier, the stocks (tiers, points
// liability with its expiry schedule), objectives against actuals, and every table as CSV.
import type { FastifyInstance } from 'fastify';
import { InsightsQuery, insightCsv, INSIGHT_CSV_TABLES, ObjectiveInput } from '../../src-shared/insights/insights';
import { RFC_4180, SEMICOLON_DECIMAL_COMMA } from '../../src-shared/reports/csv';
import { z } from 'zod';
import { insightsReport, listObjectives, setObjective } from '../insights/insight-queries';
import { INSIGHT_SOURCES } from '../insights/insight-sources';
import { HttpError, parse, type ConsoleRouteContext } from './route-context';

/** `separator=semicolon`: semicolons and decimal commas, as spreadsheets set for Türkiye and most of Europe read CSV. */
const CsvQuery = z.object({ table: z.string().min(1).max(64), separator: z.enum(['comma', 'semicolon']).default('comma') });

export function registerInsightsRoutes(app: FastifyInstance, ctx: ConsoleRouteContext): void {
  const { db } = ctx;

  app.get('/v1/admin/insights', { schema: { summary: 'Programme insights for a date range, by period and by store, terminal or cashier', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    const query = parse(InsightsQuery, request.query, 'insights query');
    return insightsReport(db, query, { now: ctx.now(), sources: INSIGHT_SOURCES });
  });

  app.get('/v1/admin/insights/csv', { schema: { summary: `One insights table as CSV (${INSIGHT_CSV_TABLES.join(', ')} or an added table's id); separator=semicolon for semicolons and decimal commas`, security: [{ bearer: [] }] } }, async (request, reply) => {
    await ctx.authAdmin(request);
    const { table, separator, ...rest } = parse(CsvQuery.passthrough(), request.query, 'CSV query') as { table: string; separator: 'comma' | 'semicolon' } & Record<string, unknown>;
    const query = parse(InsightsQuery, rest, 'insights query');
    const report = await insightsReport(db, query, { now: ctx.now(), sources: INSIGHT_SOURCES });
    const csv = insightCsv(report, table, separator === 'semicolon' ? SEMICOLON_DECIMAL_COMMA : RFC_4180);
    if (csv === null) throw new HttpError(404, 'NOT_FOUND', `No insights table "${table}": ${[...INSIGHT_CSV_TABLES, ...report.extra.map((t) => t.id)].join(', ')}`);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="kasa-insights-${table.replace(/[^\w-]/g, '_')}-${query.from}-${query.to}.csv"`)
      .send(csv);
  });

  app.get('/v1/admin/insights/objectives', { schema: { summary: 'The objectives the owner set', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    return { objectives: await listObjectives(db) };
  });

  app.post('/v1/admin/insights/objectives', { schema: { summary: 'Set an objective (a null target removes it)', security: [{ bearer: [] }] } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const body = parse(ObjectiveInput, request.body, 'objective');
    await setObjective(db, actor, body);
    return { objectives: await listObjectives(db) };
  });
}
