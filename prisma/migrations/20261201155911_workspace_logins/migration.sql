-- CreateTable
CREATE TABLE "WorkspaceLogin" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "passwordSalt" TEXT NOT NULL,
    "passwordCost" JSONB NOT NULL,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "failWindowStart" TIMESTAMPTZ(3),
    "lockedUntil" TIMESTAMPTZ(3),
    "passwordChangedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WorkspaceLogin_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkspaceSession" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "loginId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkspaceSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkspaceLogin_memberId_key" ON "WorkspaceLogin"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkspaceLogin_username_key" ON "WorkspaceLogin"("username");

-- CreateIndex
CREATE INDEX "WorkspaceLogin_tenantId_idx" ON "WorkspaceLogin"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkspaceSession_tokenHash_key" ON "WorkspaceSession"("tokenHash");

-- CreateIndex
CREATE INDEX "WorkspaceSession_loginId_idx" ON "WorkspaceSession"("loginId");

-- CreateIndex
CREATE INDEX "WorkspaceSession_expiresAt_idx" ON "WorkspaceSession"("expiresAt");

-- CreateIndex
CREATE INDEX "Ticket_tenantId_kind_createdAt_idx" ON "Ticket"("tenantId", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_tenantId_departmentId_createdAt_idx" ON "Ticket"("tenantId", "departmentId", "createdAt");

-- AddForeignKey
ALTER TABLE "WorkspaceLogin" ADD CONSTRAINT "WorkspaceLogin_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkspaceLogin" ADD CONSTRAINT "WorkspaceLogin_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkspaceSession" ADD CONSTRAINT "WorkspaceSession_loginId_fkey" FOREIGN KEY ("loginId") REFERENCES "WorkspaceLogin"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkspaceSession" ADD CONSTRAINT "WorkspaceSession_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
