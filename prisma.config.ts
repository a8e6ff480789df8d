import { defineConfig } from 'prisma/config'

// Prisma 7 reads no .env and throws on a missing env(); migrations run through scripts/, so the URL
// here only matters to tools that never connect.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/frontdesk' },
})
