// Every route of the access area (issue 8), mounted by app.tsx in one line.
import { Hono } from 'hono'
import type { Env } from '../app'
import { accountRoutes } from './account'
import { answerRoutes } from './answers'
import { auditRoutes } from './audit'
import { authRoutes } from './auth'
import { privacyRoutes } from './privacy'
import { userRoutes } from './users'

export const accessRoutes = new Hono<Env>()
  .route('/', authRoutes)
  .route('/', accountRoutes)
  .route('/', userRoutes)
  .route('/', auditRoutes)
  .route('/', privacyRoutes)
  .route('/', answerRoutes)
