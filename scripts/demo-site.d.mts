import type { Server, ServerResponse } from 'node:http';

export const DEMO_SITE_ROOT: string;
export function demoSiteFile(pathname: string): string | null;
export function serveDemoSite(pathname: string, res: ServerResponse): void;
export function startDemoSite(port: number, host?: string): Promise<Server>;
