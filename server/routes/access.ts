// Every route of the access area (issue 8), mounted by app.tsx in one line.
import { Hono } from 'hono'
import type { Env } from '../app'
import { authRoutes } from './auth'

export const accessRoutes = new Hono<Env>().route('/', authRoutes)
