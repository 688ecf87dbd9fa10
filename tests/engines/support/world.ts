// Everything one engine's scenario runs in: the real server process, the browser, the tablet harness and the network
// switch. Registers the hooks that make every test fail on a page error and save a screenshot when it fails.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Engine } from './engines';
import type { EngineDriver } from './driver';
import type { FirefoxDriver } from './firefox';
import { SCREENSHOTS } from './paths';
import { prepareServer, type EngineServer } from './server';
import { Tablet } from './tablet';
import { addErrorCollector } from './webkit';

/** The tablet's viewport: a 10-inch tablet held in landscape. */
export const VIEWPORT = { width: 1024, height: 768 };

export interface World {
  engine: Engine;
  server: EngineServer;
  tablet: Tablet;
  /** No network for the tablet: Firefox's offline mode; in WebKit (no such switch over WebDriver) the server stops. */
  offline(): Promise<void>;
  online(): Promise<void>;
  /** Whether the browser itself knows it is offline (Firefox), or only finds the server gone (WebKit). */
  browserOffline: boolean;
}

function isFirefox(driver: EngineDriver): driver is FirefoxDriver {
  return driver.engine === 'Firefox';
}

/** Sets up the world for one engine's describe block; its fields are there from the first test on. */
export function engineWorld(engine: Engine): World {
  const world = { engine } as World;
  beforeAll(async () => {
    world.server = await prepareServer(engine.name.toLowerCase(), engine.name === 'WebKit' ? addErrorCollector : undefined);
    await world.server.start();
    const driver = await engine.launch(VIEWPORT);
    console.log(`engines: ${engine.name} is ${driver.version}`);
    world.tablet = new Tablet(driver);
    world.browserOffline = isFirefox(driver);
    world.offline = async () => {
      if (isFirefox(driver)) await driver.setOffline(true);
      else await world.server.stop();
    };
    world.online = async () => {
      if (isFirefox(driver)) await driver.setOffline(false);
      else if (!world.server.isUp()) await world.server.start();
    };
  }, 120_000);
  afterEach(async (context) => {
    if (!world.tablet) return;
    if (context.task.result?.state === 'fail') {
      const path = await world.tablet
        .saveScreenshot(SCREENSHOTS, `${engine.name}-${context.task.name}`)
        .catch((error: unknown) => `(no screenshot: ${String(error)})`);
      console.error(`engines: ${engine.name} failed "${context.task.name}"; screenshot: ${path}`);
    }
    // Any uncaught error or unhandled rejection in the page fails the test in which it happened.
    expect(await world.tablet.takePageErrors(), `page errors in ${engine.name}`).toEqual([]);
  });
  afterAll(async () => {
    await world.tablet?.driver.close();
    await world.server?.close();
  });
  return world;
}
