// Figures other parts of the programme add to Insights, each as its own table (shown on the page and
// exported as CSV like the others). Offer uptake (issue 9, personalised offers) goes here.
import { offerUptakeInsight } from '../offers';
import type { InsightSource } from './insight-queries';

export const INSIGHT_SOURCES: readonly InsightSource[] = [offerUptakeInsight];
