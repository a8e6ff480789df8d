import { setupTestEnv } from '../support/harness.ts'
import { describeBookingRace } from './race.ts'

describeBookingRace(await setupTestEnv(), 'PostgreSQL')
