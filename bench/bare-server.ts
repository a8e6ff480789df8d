// The yardstick: a bare Fastify route that parses a JSON body and answers {}. Same machine, same run.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.post('/bare', async () => ({}))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
console.log('ready')
