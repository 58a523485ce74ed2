import type { PlatformConfig } from "../config";
import { APP_NAMES, imagesPushed } from "../config/sections/apps";

/** What `npm run plan` says about the apps: deployed at which tag, or skipped and why. */
export function appsNote(config: PlatformConfig): string {
  const apps = APP_NAMES.join(", ");
  return imagesPushed(config.profile.apps)
    ? `apps: ${apps} deployed from ECR at tag ${config.profile.apps.imageTag} (each looked up in ECR first), after the migrations Job of that tag`
    : `apps: not deployed: ${apps} (gamemetrics:apps.imageTag is not set, so no image was pushed yet); this up creates their ECR repositories, then build and push the images and set the tag (README: the first deploy)`;
}
