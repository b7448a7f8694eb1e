; Inno Setup 6 script: a per-machine installer of the one-folder build in dist\dispatch-console.
;
;   pyinstaller --noconfirm --clean packaging\dispatch-console.spec --distpath dist --workpath build
;   iscc /DAppVersion=0.1.0 packaging\windows\dispatch-console.iss
;
; gives dist\dispatch-console-0.1.0-setup.exe. It installs to Program Files, adds Start-menu
; entries (the demo, the self-test) and an uninstaller (Settings > Apps). Silent deployment:
;   dispatch-console-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Uninstalling removes the program only: profiles live outside it (where --profile points,
; normally under the operator's own application data folder) and are always kept.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "INTERPOL Dispatch Console"
#define AppExe "dispatch-console.exe"
#define GuiExe "dispatch-console-gui.exe"
#define BundleDir "..\..\dist\dispatch-console"

[Setup]
; the AppId ties upgrades and the uninstaller together: never change it
AppId={{706086B4-B95C-4640-8124-4EE30DB4BA60}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Dispatch Console developers
DefaultDirName={autopf}\Dispatch Console
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=dispatch-console-{#AppVersion}-setup
SetupIconFile=..\icons\dispatch-console.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the whole runtime folder: no file of an older version is left behind
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}\{#AppName} (Demo)"; Filename: "{app}\{#GuiExe}"; Parameters: "--demo"; WorkingDir: "{app}"; Comment: "Practise INTERPOL person queries on synthetic training data"
Name: "{autoprograms}\{#AppName}\Self-test"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#AppExe}"" --self-test"""; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"; Comment: "Check this installed copy: one demo query end to end"
Name: "{autodesktop}\{#AppName} (Demo)"; Filename: "{app}\{#GuiExe}"; Parameters: "--demo"; WorkingDir: "{app}"; Tasks: desktopicon

