/** The number types every part of the report schema uses. */
import { z } from 'zod';

export const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });
export const nullableFinite = finite.nullable();
